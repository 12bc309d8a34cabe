-- What a handler wrote to its log during one attempt, sent by the worker with the final result. The
-- leader cuts a log at 64 KiB of UTF-8 (ending it with a marker); the CHECK holds the same bound for
-- anything written by plain SQL. Independent of V8.
ALTER TABLE run_attempt ADD COLUMN log TEXT CHECK (octet_length(log) <= 65536);
