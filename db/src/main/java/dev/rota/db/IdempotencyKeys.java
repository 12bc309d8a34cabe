package dev.rota.db;

/**
 * The {@code api_idempotency} table: the first response to a write sent with an idempotency key, so a
 * retried request is answered without acting again.
 */
public interface IdempotencyKeys {

    /** What {@link #begin} found. {@code status} and {@code body} are set for {@link Kind#REPLAY}. */
    record Claim(Kind kind, int status, String body) {
    }

    enum Kind {
        /** The key is new and now reserved: serve the request, then {@link #complete} or {@link #release}. */
        NEW,
        /** The first request with this key was answered: send its response again. */
        REPLAY,
        /** The first request with this key is still being served. */
        IN_PROGRESS,
        /** The key was used for a different request (method, path or body). */
        MISMATCH
    }

    Claim begin(String owner, String key, String fingerprint);

    void complete(String owner, String key, int status, String body);

    /** Forgets a reserved key after a request that failed without effect, so the client may retry it. */
    void release(String owner, String key);
}
