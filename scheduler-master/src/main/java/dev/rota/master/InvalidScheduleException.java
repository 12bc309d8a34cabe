package dev.rota.master;

/** A job's cron expression or time zone cannot be scheduled; the message names which and why. */
public final class InvalidScheduleException extends IllegalArgumentException {
    public InvalidScheduleException(String message) {
        super(message);
    }
}
