-- Scheduling from the database: each job row carries its cursor, so the leader holds only the fires due
-- in the next few seconds, never one trigger per job.

-- next_fire_at: the first cron time of the job not yet recorded as a run; NULL while the leader has not
-- (re)computed it since the last change, or when the job is disabled, invalid or never fires again.
-- change_seq: bumped from a sequence by every insert and every change of the definition.
-- planned_seq: the change_seq the leader last computed the cursor for; they differ while a change waits.
ALTER TABLE job ADD COLUMN next_fire_at TIMESTAMPTZ;
CREATE SEQUENCE job_change_seq;
ALTER TABLE job ADD COLUMN change_seq BIGINT NOT NULL DEFAULT nextval('job_change_seq');
ALTER TABLE job ADD COLUMN planned_seq BIGINT;

-- What the planner selects every pass: an index range scan over the fires due soon.
CREATE INDEX job_next_fire_idx ON job (next_fire_at) WHERE enabled AND next_fire_at IS NOT NULL;
-- What the leader re-reads: only the jobs changed since it last looked, wherever it left off.
CREATE INDEX job_unplanned_idx ON job (change_seq) WHERE planned_seq IS DISTINCT FROM change_seq;

-- Fires recorded ahead of their time (SCHEDULED, never dispatched) follow the definition they were
-- computed from: a change removes the future ones, and the leader plans them again from the new definition.
CREATE FUNCTION job_drop_future_fires(job_id BIGINT) RETURNS void LANGUAGE sql AS $$
    DELETE FROM run r WHERE r.job_id = job_drop_future_fires.job_id AND r.state = 'SCHEDULED' AND r.attempt = 0
                        AND r.scheduled_at > clock_timestamp();
$$;

CREATE OR REPLACE FUNCTION job_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    IF NEW.cron IS DISTINCT FROM OLD.cron OR NEW.time_zone IS DISTINCT FROM OLD.time_zone
       OR (NEW.enabled AND NOT OLD.enabled) THEN
        NEW.schedule_from := now();
    END IF;
    NEW.change_seq := nextval('job_change_seq');
    NEW.next_fire_at := NULL;
    PERFORM job_drop_future_fires(OLD.id);
    RETURN NEW;
END $$;

-- Deletions, for the leader to report; the job's fires that were never dispatched go with it.
CREATE TABLE job_deleted (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     BIGINT      NOT NULL,
    team       TEXT        NOT NULL,
    name       TEXT        NOT NULL,
    deleted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION job_record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM run r WHERE r.job_id = OLD.id AND r.state = 'SCHEDULED' AND r.attempt = 0;
    INSERT INTO job_deleted (job_id, team, name) VALUES (OLD.id, OLD.team, OLD.name);
    RETURN OLD;
END $$;
CREATE TRIGGER job_record_delete BEFORE DELETE ON job FOR EACH ROW EXECUTE FUNCTION job_record_delete();

-- Retention walks finished runs oldest first.
CREATE INDEX run_finished_idx ON run (finished_at, id) WHERE finished_at IS NOT NULL;
