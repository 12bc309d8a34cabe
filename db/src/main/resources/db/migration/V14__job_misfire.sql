-- Fires a misfire policy did not fire leave no run row, so "why did it not fire?" had no answer for them
-- but a log line. The planner records each skip here in the fenced transaction that moves the job's cursor
-- past them; the job's stats (GET /api/v1/jobs/{id}/stats) count them as the reason "misfire policy".
CREATE TABLE job_misfire (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id           BIGINT      NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    skipped          BIGINT      NOT NULL CHECK (skipped > 0),
    first_skipped_at TIMESTAMPTZ NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX job_misfire_job_idx ON job_misfire (job_id, first_skipped_at);
