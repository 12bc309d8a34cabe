-- Limits that hold whatever the path (CLI, API, plain SQL), messages the leader had to set aside, and
-- the starting deadline. Each constraint's name states its limit: PostgreSQL puts the name in the error.

-- Payloads: the same limit as ClusterSettings.DEFAULT_MAX_PAYLOAD_BYTES (256 KiB of JSON text). A larger
-- payload on a job would be copied into a run row at every fire and refused by every worker.
ALTER TABLE job ADD CONSTRAINT job_payload_at_most_262144_bytes
    CHECK (octet_length(payload::text) <= 262144);
ALTER TABLE run ADD CONSTRAINT run_payload_at_most_262144_bytes
    CHECK (octet_length(payload::text) <= 262144);

-- How many missed fires one catch-up may owe (JobSpec.MAX_MISFIRE_LIMIT).
ALTER TABLE job ADD CONSTRAINT job_misfire_limit_at_most_10000 CHECK (misfire_limit <= 10000);

-- A fire (or one-off task) not started within this many milliseconds of becoming due is SKIPPED with the
-- reason instead of running late. NULL: no deadline. The leader copies the job's value into each run.
ALTER TABLE job ADD COLUMN starting_deadline_ms BIGINT
    CONSTRAINT job_starting_deadline_ms_positive CHECK (starting_deadline_ms > 0);
ALTER TABLE run ADD COLUMN starting_deadline_ms BIGINT
    CONSTRAINT run_starting_deadline_ms_positive CHECK (starting_deadline_ms > 0);

-- A change of the starting deadline is a change of the job: the trigger now compares it as well.
DROP TRIGGER job_touch ON job;
CREATE TRIGGER job_touch BEFORE UPDATE ON job FOR EACH ROW
    WHEN ((OLD.team, OLD.name, OLD.cron, OLD.time_zone, OLD.task_type, OLD.payload, OLD.enabled,
           OLD.misfire_policy, OLD.misfire_limit, OLD.concurrency_policy, OLD.max_attempts,
           OLD.retry_initial_ms, OLD.retry_multiplier, OLD.retry_max_ms, OLD.timeout_ms, OLD.starting_deadline_ms)
          IS DISTINCT FROM
          (NEW.team, NEW.name, NEW.cron, NEW.time_zone, NEW.task_type, NEW.payload, NEW.enabled,
           NEW.misfire_policy, NEW.misfire_limit, NEW.concurrency_policy, NEW.max_attempts,
           NEW.retry_initial_ms, NEW.retry_multiplier, NEW.retry_max_ms, NEW.timeout_ms, NEW.starting_deadline_ms))
    EXECUTE FUNCTION job_touch();

-- Messages a leader consumer could not use and set aside, so that one bad message never stalls the
-- rest: malformed results, results PostgreSQL refused, dead-lettered messages it could not apply.
-- Operators read them here (rota tasks parked, or SELECT); nothing is deleted automatically.
CREATE TABLE parked_message (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    -- The message as received, for inspection and replay (bytes: it may not be valid text at all).
    body        BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- An attempt a worker received after its starting deadline and did not run.
ALTER TABLE run_attempt DROP CONSTRAINT run_attempt_outcome_check;
ALTER TABLE run_attempt ADD CONSTRAINT run_attempt_outcome_check
    CHECK (outcome IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'REJECTED', 'LOST', 'SKIPPED'));
