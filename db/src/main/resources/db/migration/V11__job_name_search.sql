-- Job-name search (the admin layer's "q", the API's ?q=, the dashboard's search box) is a substring match,
-- which no B-tree serves: at 100,000 jobs a rare match scanned the whole (team, name) index (1.2 s). A
-- trigram GIN index answers it in milliseconds. pg_trgm ships with PostgreSQL and is a trusted extension
-- (13+), but a database may still refuse it (no CREATE right, a managed service without it): then the
-- search stays a scan and the migration says so instead of failing.
DO $$
BEGIN
    -- Not "IF NOT EXISTS": its notice would be logged as a warning by every later migration of a schema.
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE EXTENSION pg_trgm WITH SCHEMA public;
    END IF;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): job-name search stays a scan', SQLERRM;
END $$;

DO $$
DECLARE
    ns TEXT := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                WHERE e.extname = 'pg_trgm');
BEGIN
    IF ns IS NOT NULL THEN
        EXECUTE format('CREATE INDEX job_name_trgm_idx ON job USING gin (name %I.gin_trgm_ops)', ns);
    END IF;
END $$;
