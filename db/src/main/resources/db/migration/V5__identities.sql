-- Who started each attempt, as the broker vouches for it (the AMQP user_id of the STARTED result).
-- A later result of that attempt counts only when it comes from the same identity.
ALTER TABLE run_attempt ADD COLUMN started_by TEXT;

-- FORGED_RESULT: a result whose sender is not the identity that started the attempt; it changed nothing.
-- The kind list is extended, not rewritten, so kinds other migrations added are kept.
DO $$
DECLARE
    def TEXT;
    cname TEXT;
BEGIN
    SELECT conname, pg_get_constraintdef(oid) INTO cname, def FROM pg_constraint
     WHERE conrelid = 'run_event'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%kind%';
    IF def IS NOT NULL AND def NOT LIKE '%FORGED_RESULT%' THEN
        EXECUTE format('ALTER TABLE run_event DROP CONSTRAINT %I', cname);
        EXECUTE 'ALTER TABLE run_event ADD CONSTRAINT ' || quote_ident(cname) || ' '
             || regexp_replace(def, '\]\)', ', ''FORGED_RESULT''::text])');
    END IF;
END $$;

-- Least privilege. Roles are made and granted by `rota db grant` (dev.rota.db.DatabaseRoles), run by the
-- role that owns the schema (the migration role); this table says which of them may see which jobs.
-- team NULL: every team (masters' runtime role, read-only role); otherwise only that team's jobs.
CREATE TABLE access_role (
    role_name TEXT PRIMARY KEY,
    team      TEXT CHECK (team IS NULL OR team ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$')
);

-- Row-level security on job: a team's role inserts, sees, changes and deletes only its own team's jobs
-- with plain SQL; a row moved to another team is refused. The schema owner (migrations) is not subject
-- to it; granted roles are, through access_role. Roles that no longer exist simply match nothing.
ALTER TABLE job ENABLE ROW LEVEL SECURITY;
CREATE POLICY job_by_team ON job
    USING (EXISTS (SELECT 1 FROM access_role a JOIN pg_roles r ON r.rolname = a.role_name
                    WHERE pg_has_role(current_user, r.oid, 'MEMBER') AND (a.team IS NULL OR a.team = job.team)))
    WITH CHECK (EXISTS (SELECT 1 FROM access_role a JOIN pg_roles r ON r.rolname = a.role_name
                    WHERE pg_has_role(current_user, r.oid, 'MEMBER') AND (a.team IS NULL OR a.team = job.team)));

-- A team's role changes and deletes jobs with plain SQL; the triggers that tidy the job's undispatched
-- fires behind such a change act with the schema owner's rights (and a fixed search path), so the team
-- role needs no write access to run.
ALTER FUNCTION job_drop_future_fires(BIGINT) SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION job_record_delete() SECURITY DEFINER SET search_path FROM CURRENT;
