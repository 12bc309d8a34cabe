package dev.rota.bench.compare;

import java.time.Instant;

/**
 * One scheduler under test, in its own scratch schema (and, for Rota, its own namespace). Its handler
 * records every start in the {@link Executions} it was built with. One instance serves one run of one
 * workload: {@link #start} once, then submit, then {@link #close()} (which drops what it created).
 */
public interface Contender extends AutoCloseable {

    /** The column heading: {@code Rota}, {@code db-scheduler}, {@code Quartz}. */
    String name();

    /**
     * Starts the scheduler with {@code cronJobs} jobs that fire every second, named {@code cron-0 ...}
     * (0 for none); returns when it is ready to run tasks.
     */
    void start(int cronJobs) throws Exception;

    /** Submits one one-off no-op task due at {@code due} in one API call (and transaction). Thread-safe. */
    void submitOne(String id, Instant due) throws Exception;

    /** Submits {@code n} one-off no-op tasks due at {@code due} in one statement or batch call. */
    void submitBulk(int n, String prefix, Instant due) throws Exception;

    @Override
    void close();
}
