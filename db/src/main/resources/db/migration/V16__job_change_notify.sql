-- The leader's planner sleeps until the next cursor enters its lookahead instead of polling: a commit that
-- changes the schedule (a job inserted, its definition changed, or deleted; plain SQL too) announces it on
-- channel rota_job_changed, so that the planner settles the change at once. The payload is the schema: several
-- Rota schemas may share one database. Inserts and deletes announce once per statement; updates once per
-- changed definition (the leader's own cursor writes leave change_seq alone and announce nothing), and
-- PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION job_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rota_job_changed', TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;
CREATE TRIGGER job_changed_insert AFTER INSERT ON job FOR EACH STATEMENT EXECUTE FUNCTION job_changed_notify();
CREATE TRIGGER job_changed_delete AFTER DELETE ON job FOR EACH STATEMENT EXECUTE FUNCTION job_changed_notify();
CREATE TRIGGER job_changed_update AFTER UPDATE ON job FOR EACH ROW
    WHEN (OLD.change_seq IS DISTINCT FROM NEW.change_seq) EXECUTE FUNCTION job_changed_notify();
