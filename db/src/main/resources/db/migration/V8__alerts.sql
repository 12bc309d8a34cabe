-- Alerts: webhooks to operators when something goes wrong. A rule says which events of which team (or of
-- every team) and which job go to which URL; a delivery is one alert for one rule, written in the same
-- transaction as the event itself (by triggers on run and run_attempt), so an event committed always has
-- its alert, an event rolled back never has one, and (rule_id, event_key) UNIQUE makes a second one
-- impossible whatever path changed the run: the leader, the API, or plain SQL. The leader sends them.

CREATE TABLE alert_rule (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- null: every team (only an admin of every team may make such a rule)
    team                TEXT        CHECK (team ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    -- null: every job of the team, and one-off tasks
    job_name            TEXT        CONSTRAINT alert_rule_job_name_1_to_200_chars CHECK (length(job_name) BETWEEN 1 AND 200),
    kinds               TEXT[]      NOT NULL CONSTRAINT alert_rule_kinds_known CHECK (
                                        cardinality(kinds) >= 1 AND array_position(kinds, NULL) IS NULL AND kinds <@ ARRAY[
                                        'RUN_FAILED', 'RUN_DEAD', 'RUN_TIMED_OUT', 'FIRE_SKIPPED', 'FIRE_LATE', 'WORKER_LOST',
                                        'NO_LEADER']),
    url                 TEXT        NOT NULL CONSTRAINT alert_rule_url_http_at_most_2000_chars
                                        CHECK (url ~ '^https?://' AND length(url) <= 2000),
    -- The HMAC key of the signature. Kept in clear (it must be, to sign) and never returned by the API.
    secret              TEXT        NOT NULL CONSTRAINT alert_rule_secret_16_to_200_chars
                                        CHECK (length(secret) BETWEEN 16 AND 200),
    -- FIRE_LATE: a first attempt that starts more than this long after its scheduled time
    late_after_ms       BIGINT      CONSTRAINT alert_rule_late_after_ms_positive CHECK (late_after_ms > 0),
    -- NO_LEADER: how long the cluster may be without a leader
    leaderless_after_ms BIGINT      CONSTRAINT alert_rule_leaderless_after_ms_positive CHECK (leaderless_after_ms > 0),
    enabled             BOOLEAN     NOT NULL DEFAULT TRUE,
    created_by          TEXT        NOT NULL DEFAULT current_user,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT alert_rule_fire_late_needs_late_after_ms
        CHECK (NOT ('FIRE_LATE' = ANY (kinds)) OR late_after_ms IS NOT NULL),
    CONSTRAINT alert_rule_no_leader_needs_leaderless_after_ms
        CHECK (NOT ('NO_LEADER' = ANY (kinds)) OR leaderless_after_ms IS NOT NULL)
);

-- One alert for one rule. status PENDING until delivered (2xx) or out of attempts (FAILED).
CREATE TABLE alert_delivery (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id         BIGINT      NOT NULL REFERENCES alert_rule (id) ON DELETE CASCADE,
    -- what makes the event itself unique, e.g. RUN_FAILED:<run id>:<attempt>
    event_key       TEXT        NOT NULL,
    kind            TEXT        NOT NULL CHECK (kind IN ('RUN_FAILED', 'RUN_DEAD', 'RUN_TIMED_OUT', 'FIRE_SKIPPED',
                                                         'FIRE_LATE', 'WORKER_LOST', 'NO_LEADER')),
    payload         JSONB       NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    -- attempts claimed so far; a claim increments it, so it is also the claim's token
    attempts        INT         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_status     INT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at    TIMESTAMPTZ,
    CONSTRAINT alert_delivery_one_per_event UNIQUE (rule_id, event_key)
);
CREATE INDEX alert_delivery_due_idx ON alert_delivery (next_attempt_at) WHERE status = 'PENDING';

-- Each attempt to deliver: written when claimed (outcome still null: a sender that died mid-request leaves
-- it so), completed with the HTTP status or the error.
CREATE TABLE alert_attempt (
    delivery_id   BIGINT      NOT NULL REFERENCES alert_delivery (id) ON DELETE CASCADE,
    attempt       INT         NOT NULL CHECK (attempt >= 1),
    epoch         BIGINT      NOT NULL,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    http_status   INT,
    error         TEXT,
    PRIMARY KEY (delivery_id, attempt)
);

-- The rules an event of this kind, team and job goes to, as rows to insert deliveries from.
CREATE FUNCTION alert_rules_for(p_kind TEXT, p_team TEXT, p_job_name TEXT)
    RETURNS SETOF alert_rule LANGUAGE sql STABLE AS $$
    SELECT * FROM alert_rule r
     WHERE r.enabled AND p_kind = ANY (r.kinds)
       AND (r.team IS NULL OR r.team = p_team)
       AND (r.job_name IS NULL OR r.job_name = p_job_name);
$$;

CREATE FUNCTION alert_run_payload(r run, p_kind TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('kind', p_kind, 'occurredAt', now(), 'team', r.team, 'jobId', r.job_id,
        'jobName', r.job_name, 'runId', r.id, 'attempt', r.attempt, 'state', r.state, 'taskType', r.task_type,
        'scheduledAt', r.scheduled_at, 'startedAt', r.started_at, 'finishedAt', r.finished_at,
        'workerId', r.worker_id, 'error', r.error);
$$;

-- A run that ends FAILED, DEAD or TIMED_OUT, or is SKIPPED (inserted so, or moved there), and a first attempt
-- that starts later than a rule allows. One event per run and attempt: a re-run that fails again is a new one.
CREATE FUNCTION alert_on_run() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k TEXT := CASE NEW.state WHEN 'FAILED' THEN 'RUN_FAILED' WHEN 'DEAD' THEN 'RUN_DEAD'
                             WHEN 'TIMED_OUT' THEN 'RUN_TIMED_OUT' WHEN 'SKIPPED' THEN 'FIRE_SKIPPED' END;
BEGIN
    IF k IS NOT NULL THEN
        INSERT INTO alert_delivery (rule_id, event_key, kind, payload)
        SELECT a.id, k || ':' || NEW.id || ':' || NEW.attempt, k, alert_run_payload(NEW, k)
          FROM alert_rules_for(k, NEW.team, NEW.job_name) a
        ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event DO NOTHING;
    ELSIF NEW.state = 'RUNNING' AND NEW.attempt = 1 AND NEW.started_at IS NOT NULL THEN
        INSERT INTO alert_delivery (rule_id, event_key, kind, payload)
        SELECT a.id, 'FIRE_LATE:' || NEW.id, 'FIRE_LATE', alert_run_payload(NEW, 'FIRE_LATE')
               || jsonb_build_object('lateByMs', (extract(epoch FROM NEW.started_at - NEW.scheduled_at) * 1000)::bigint,
                                     'lateAfterMs', a.late_after_ms)
          FROM alert_rules_for('FIRE_LATE', NEW.team, NEW.job_name) a
         WHERE NEW.started_at - NEW.scheduled_at > a.late_after_ms * INTERVAL '1 millisecond'
        ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER alert_on_run_insert AFTER INSERT ON run FOR EACH ROW
    WHEN (NEW.state = 'SKIPPED') EXECUTE FUNCTION alert_on_run();
CREATE TRIGGER alert_on_run_update AFTER UPDATE OF state ON run FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('FAILED', 'DEAD', 'TIMED_OUT', 'SKIPPED', 'RUNNING'))
    EXECUTE FUNCTION alert_on_run();

-- A worker lost with tasks in hand: the leader closes each of its running attempts as LOST (once: an
-- attempt's outcome is written once). One alert per rule, worker and transaction, listing the runs the
-- rule may see; the attempts a sweep finds together are one event.
CREATE FUNCTION alert_on_lost_attempt() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r run;
BEGIN
    SELECT * INTO r FROM run WHERE id = NEW.run_id;
    INSERT INTO alert_delivery AS d (rule_id, event_key, kind, payload)
    SELECT a.id, 'WORKER_LOST:' || NEW.worker_id || ':' || txid_current(), 'WORKER_LOST',
           jsonb_build_object('kind', 'WORKER_LOST', 'occurredAt', now(), 'workerId', NEW.worker_id,
               'reason', NEW.error, 'runs', jsonb_build_array(jsonb_build_object('runId', NEW.run_id,
                   'attempt', NEW.attempt, 'team', r.team, 'jobName', r.job_name, 'taskType', r.task_type)))
      FROM alert_rules_for('WORKER_LOST', r.team, r.job_name) a
    ON CONFLICT ON CONSTRAINT alert_delivery_one_per_event
        DO UPDATE SET payload = jsonb_set(d.payload, '{runs}', (d.payload -> 'runs') || (EXCLUDED.payload -> 'runs'));
    RETURN NULL;
END $$;
CREATE TRIGGER alert_on_lost_attempt AFTER UPDATE OF outcome ON run_attempt FOR EACH ROW
    WHEN (OLD.outcome IS NULL AND NEW.outcome = 'LOST' AND NEW.worker_id IS NOT NULL)
    EXECUTE FUNCTION alert_on_lost_attempt();

-- The leader's sign of life for NO_LEADER alerts: each term writes it every second or so (fenced by its epoch),
-- and any master that finds it older than a rule's threshold makes that rule's alert. A table of its own, so the
-- beat never takes a lock that dispatch transactions (FOR SHARE on leader_lease) would wait for. No row until a
-- first leader: a cluster that never had one does not alert.
CREATE TABLE leader_beat (
    id        SMALLINT    PRIMARY KEY CHECK (id = 1),
    epoch     BIGINT      NOT NULL,
    leader_id TEXT        NOT NULL,
    beat_at   TIMESTAMPTZ NOT NULL
);

-- Team roles that change runs with plain SQL need no rights on the alert tables: the triggers act with
-- the schema owner's rights and a fixed search path.
ALTER FUNCTION alert_on_run() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION alert_on_lost_attempt() SECURITY DEFINER SET search_path FROM CURRENT;
