-- The operators' surface: API tokens, the audit log, idempotent API writes, runs triggered by hand,
-- and the indexes that keep filtered, cursor-paged lists of jobs and runs to index scans.

-- Who may call the API. The secret is never stored: hash is SHA-256 of the 32 random bytes handed out once.
CREATE TABLE api_token (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$'),
    -- null: every team
    team        TEXT        CHECK (team ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    role        TEXT        NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    hash        BYTEA       NOT NULL CHECK (length(hash) = 32),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

-- Every write made through the admin layer: who, what, on which target, the row before and after.
CREATE TABLE audit_event (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    target      TEXT        NOT NULL,
    -- the team the target belongs to, so a team's viewers see their own history; null for cluster actions
    team        TEXT,
    before      JSONB,
    after       JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_event_team_idx ON audit_event (team, id);

-- An API write replayed with the same Idempotency-Key returns the first response instead of acting twice.
CREATE TABLE api_idempotency (
    owner       TEXT        NOT NULL,
    key         TEXT        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    fingerprint TEXT        NOT NULL,
    -- null while the first request is still being served
    status      INT,
    body        TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (owner, key)
);

-- A run made by "trigger now": a fire outside the job's schedule, and who asked for it. Null for
-- scheduled fires and submitted tasks.
ALTER TABLE run ADD COLUMN triggered_by TEXT;

-- Run lists are ordered newest scheduled first, (scheduled_at, id) descending, and paged by that key;
-- each filter has an index in that order so a page is an index range scan whatever the table's size.
CREATE INDEX run_list_idx ON run (scheduled_at DESC, id DESC);
CREATE INDEX run_list_team_idx ON run (team, scheduled_at DESC, id DESC);
CREATE INDEX run_list_state_idx ON run (state, scheduled_at DESC, id DESC);
CREATE INDEX run_list_task_type_idx ON run (task_type, scheduled_at DESC, id DESC);
CREATE INDEX run_list_job_idx ON run (job_id, scheduled_at DESC, id DESC);

-- Job lists are ordered by (team, name): job_team_name_key serves them; this one serves a task-type filter.
CREATE INDEX job_list_task_type_idx ON job (task_type, team, name);

-- Run state changes are announced on channel rota_run_changes at commit, so every master (standbys too)
-- can stream them to operators within a second without polling. The payload is small and names the schema,
-- since several Rota schemas may share one database.
CREATE FUNCTION run_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rota_run_changes', json_build_object(
        'schema', TG_TABLE_SCHEMA, 'id', NEW.id, 'state', NEW.state, 'team', NEW.team, 'jobId', NEW.job_id,
        'jobName', NEW.job_name, 'taskType', NEW.task_type, 'attempt', NEW.attempt, 'workerId', NEW.worker_id)::text);
    RETURN NULL;
END $$;
CREATE TRIGGER run_notify_insert AFTER INSERT ON run FOR EACH ROW EXECUTE FUNCTION run_notify();
CREATE TRIGGER run_notify_update AFTER UPDATE OF state ON run FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION run_notify();
