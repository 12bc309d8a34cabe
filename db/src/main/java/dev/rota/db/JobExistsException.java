package dev.rota.db;

/** A job with the same team and name exists already. */
public final class JobExistsException extends RuntimeException {
    public JobExistsException(String team, String name) {
        super("team '" + team + "' already has a job named '" + name + "'");
    }
}
