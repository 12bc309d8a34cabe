package dev.rota.http.internal;

/** What an endpoint answers: a status, a body to serialize as JSON, and optionally a job version for the ETag. */
record Response(int status, Object body, Long version) {
    static Response ok(Object body) {
        return new Response(200, body, null);
    }

    static Response created(Object body) {
        return new Response(201, body, null);
    }

    static Response versioned(int status, Object body, long version) {
        return new Response(status, body, version);
    }
}
