package dev.rota.bench.compare;

/** One run of a workload against one started-by-it contender; figures as measured where handlers start. */
interface Workload {
    Figures run(Contender contender, Executions executions) throws Exception;
}
