-- The leader's dispatcher sleeps until the earliest due run it knows of, instead of polling: a commit that
-- makes a run due (an insert, a retry, a reschedule, a re-run, plain SQL too) announces on channel
-- rota_run_due the earliest due_at it made, so that the dispatcher wakes if that is sooner than it planned.
-- The payload is '<schema> <due_at in epoch milliseconds>': several Rota schemas may share one database.
-- Inserts announce once per statement (a planner's batch of fires costs one notification, not one per row);
-- PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION run_due_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    earliest TIMESTAMPTZ;
BEGIN
    SELECT min(due_at) INTO earliest FROM inserted_runs WHERE state = 'SCHEDULED';
    IF earliest IS NOT NULL THEN
        PERFORM pg_notify('rota_run_due', TG_TABLE_SCHEMA || ' ' || floor(extract(epoch FROM earliest) * 1000)::bigint);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER run_due_insert AFTER INSERT ON run REFERENCING NEW TABLE AS inserted_runs
    FOR EACH STATEMENT EXECUTE FUNCTION run_due_inserted();

CREATE FUNCTION run_due_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rota_run_due', TG_TABLE_SCHEMA || ' ' || floor(extract(epoch FROM NEW.due_at) * 1000)::bigint);
    RETURN NULL;
END $$;
CREATE TRIGGER run_due_update AFTER UPDATE OF state, due_at ON run FOR EACH ROW
    WHEN (NEW.state = 'SCHEDULED' AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.due_at IS DISTINCT FROM NEW.due_at))
    EXECUTE FUNCTION run_due_changed();
