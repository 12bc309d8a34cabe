-- Clients that speak only AMQP: workers in any language that announce themselves over the broker, and
-- messages (submissions, announcements) the leader rejected, kept with their reason for operators.

CREATE TABLE broker_worker (
    id                       TEXT        PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
    task_types               TEXT[]      NOT NULL,
    capacity                 INT         NOT NULL CHECK (capacity >= 1),
    worker_version           TEXT,
    language                 TEXT,
    -- false for single-threaded workers (PHP): silence while a task runs is then not a loss; broker
    -- redelivery and the task's timeout bound what happens to its tasks.
    heartbeats_while_running BOOLEAN     NOT NULL DEFAULT TRUE,
    state                    TEXT        NOT NULL CHECK (state IN ('ALIVE', 'SILENT', 'LOST', 'LEFT')),
    announced_at             TIMESTAMPTZ NOT NULL,
    last_seen_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE rejected_message (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          TEXT        NOT NULL CHECK (source IN ('SUBMISSION', 'RESULT', 'WORKER')),
    reason          TEXT        NOT NULL,
    -- The start of the body as text (invalid UTF-8 replaced), and its full size.
    body            TEXT,
    body_bytes      INT         NOT NULL CHECK (body_bytes >= 0),
    correlation_id  TEXT,
    reply_to        TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rejected_message_created_idx ON rejected_message (created_at);
