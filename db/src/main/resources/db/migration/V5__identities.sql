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
