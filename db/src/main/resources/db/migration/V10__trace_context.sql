-- W3C trace context: a run submitted within a trace (the API's or the broker's traceparent header, or a
-- plain-SQL insert) keeps it, the task message carries it to the worker, and the run's CloudEvents carry
-- it on, so a trace spans submission, execution and completion. A malformed value is refused here on
-- every path; the API and the broker ignore one instead, as the W3C recommendation asks of receivers.
ALTER TABLE run ADD COLUMN traceparent TEXT
    CONSTRAINT run_traceparent_format
    CHECK (traceparent IS NULL OR traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
