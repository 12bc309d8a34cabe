-- Completion events survive a leader crash. The leader publishes a run's event right after the commit that
-- ended (or rescheduled) the run; a crash between the commit and the broker's confirm lost it. Now the same
-- transaction records the event here (a trigger: every path counts, the API's cancels and plain SQL too),
-- the confirm deletes the row, and a leader publishes again whatever stayed unconfirmed for a while, the
-- next leader included. At least once, as before: consumers deduplicate by the CloudEvents id.
CREATE TABLE event_outbox (
    id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id     BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    attempt    INT         NOT NULL,
    state      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT event_outbox_once UNIQUE (run_id, attempt, state)
);

CREATE FUNCTION run_event_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Final states, and an attempt sent back to SCHEDULED from QUEUED or RUNNING (rescheduled: lost,
    -- failed with retries left, timed out); not a new run's SCHEDULED nor an operator's re-run.
    IF NEW.state IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'SKIPPED', 'DEAD')
       OR (TG_OP = 'UPDATE' AND NEW.state = 'SCHEDULED' AND OLD.state IN ('QUEUED', 'RUNNING')) THEN
        INSERT INTO event_outbox (run_id, attempt, state) VALUES (NEW.id, NEW.attempt, NEW.state)
        ON CONFLICT ON CONSTRAINT event_outbox_once DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER run_event_outbox_update AFTER UPDATE OF state ON run FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION run_event_outbox();
CREATE TRIGGER run_event_outbox_insert AFTER INSERT ON run FOR EACH ROW
    WHEN (NEW.state <> 'SCHEDULED') EXECUTE FUNCTION run_event_outbox();
