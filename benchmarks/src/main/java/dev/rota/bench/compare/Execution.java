package dev.rota.bench.compare;

/**
 * One handler start, as a scheduler under test reported it.
 *
 * @param task        what ran: a one-off task's id, or a recurring job's name
 * @param scheduledMs when it was due, epoch milliseconds
 * @param startedMs   when the handler started, epoch milliseconds (wall clock of the JVM that ran it)
 */
public record Execution(String task, long scheduledMs, long startedMs) {

    /** A line for a child process's standard output: {@code EXEC task scheduledMs startedMs}. */
    public String toLine() {
        return "EXEC " + task + " " + scheduledMs + " " + startedMs;
    }

    /** Parses {@link #toLine()}; null for any other line. */
    public static Execution parse(String line) {
        if (!line.startsWith("EXEC ")) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 4) {
            return null;
        }
        return new Execution(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    }
}
