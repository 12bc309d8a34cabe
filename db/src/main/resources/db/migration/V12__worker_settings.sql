-- What a worker without ZooKeeper needs (queue names and arguments, delivery limit, heartbeat and silence
-- limits, payload limit): the leader writes it here at the start of each term, fenced by its epoch, so
-- every master (standbys too) serves it at GET /api/v1/settings, to a token of the WORKER role, which may
-- read nothing else. No credentials are in it.
CREATE TABLE worker_settings (
    id         SMALLINT    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    settings   JSONB       NOT NULL,
    epoch      BIGINT      NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

ALTER TABLE api_token DROP CONSTRAINT IF EXISTS api_token_role_check;
ALTER TABLE api_token ADD CONSTRAINT api_token_role_check CHECK (role IN ('WORKER', 'VIEWER', 'OPERATOR', 'ADMIN'));
