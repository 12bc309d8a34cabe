package dev.rota.cli.demo;

import dev.rota.db.JobSpec;
import dev.rota.model.RetryPolicy;
import java.time.Duration;
import java.util.List;

/** What the demo schedules: a job per built-in handler, and one delayed one-off task. */
final class SampleJobs {
    /** The built-in task types; their queues are reset at the start of a demo. */
    static final List<String> TASK_TYPES = List.of("noop", "log", "sleep", "fail");

    static final List<JobSpec> JOBS = List.of(
            JobSpec.of("hello", "0/5 * * * * ?", "log").withPayload("{\"message\":\"hello from the Rota demo\"}"),
            JobSpec.of("nap", "0/10 * * * * ?", "sleep").withPayload("{\"millis\":1500}"),
            JobSpec.of("flaky", "0/15 * * * * ?", "fail").withPayload("{\"message\":\"fails on purpose\"}")
                    .withRetry(RetryPolicy.maxAttempts(3).backoff(Duration.ofSeconds(1), 2.0)));

    static final String ONE_OFF_TYPE = "log";
    static final String ONE_OFF_PAYLOAD = "{\"message\":\"a one-off task, submitted 20 s before it ran\"}";
    static final Duration ONE_OFF_DELAY = Duration.ofSeconds(20);

    private SampleJobs() {
    }

    static String describe(JobSpec job) {
        String retry = job.retryPolicy().maxAttempts() > 1
                ? ", up to " + job.retryPolicy().maxAttempts() + " attempts" : "";
        return "added job " + job.name() + ": '" + job.cron() + "' -> task type " + job.taskType() + " "
                + job.payload() + retry;
    }
}
