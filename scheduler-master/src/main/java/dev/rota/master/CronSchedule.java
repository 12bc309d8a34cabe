package dev.rota.master;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A validated Quartz cron expression (seconds first) in a time zone: what a job's {@code cron} and
 * {@code time_zone} columns must parse as. Use {@link #parse} to validate user input; the leader uses
 * the same rules. Immutable and thread-safe.
 *
 * <p>Quartz's rules apply at daylight-saving changes: a local time that does not exist on the day the
 * clocks go forward is not fired that day, and one that occurs twice when they go back fires once.
 */
public final class CronSchedule {
    private final String expression;
    private final ZoneId zone;
    private final CronExpression cron;

    private CronSchedule(String expression, ZoneId zone, CronExpression cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
    }

    /**
     * @throws InvalidScheduleException naming the expression or zone and what is wrong with it
     */
    public static CronSchedule parse(String expression, String timeZone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("unknown time zone '" + timeZone + "': " + e.getMessage());
        }
        CronExpression cron;
        try {
            cron = new CronExpression(expression);
        } catch (ParseException e) {
            throw new InvalidScheduleException("malformed cron expression '" + expression + "': " + e.getMessage()
                    + " (Quartz syntax, seconds first: 'sec min hour day-of-month month day-of-week [year]')");
        }
        cron.setTimeZone(TimeZone.getTimeZone(zone));
        if (cron.getNextValidTimeAfter(new Date()) == null) {
            throw new InvalidScheduleException("cron expression '" + expression + "' never fires again");
        }
        return new CronSchedule(expression, zone, cron);
    }

    /** The first fire time strictly after {@code t}, or null when there is none. */
    public Instant nextAfter(Instant t) {
        Date next = cron.getNextValidTimeAfter(Date.from(t));
        return next == null ? null : next.toInstant();
    }

    /**
     * Fire times in {@code (after, upTo]}, oldest first, at most the newest {@code limit} of them.
     * Walking a long range of a frequent schedule (a per-second job after a month's outage) would take
     * millions of steps, so past {@value #WALK_LIMIT} steps the newest times are found by looking back
     * from {@code upTo} in growing windows, and the count of older times is then a lower bound.
     */
    public Window between(Instant after, Instant upTo, int limit) {
        Window all = walk(after, upTo, limit, WALK_LIMIT);
        if (all != null) {
            return all;
        }
        for (java.time.Duration span = java.time.Duration.ofMinutes(1); ; span = span.multipliedBy(4)) {
            Instant from = upTo.minus(span);
            if (!from.isAfter(after)) {
                return walk(after, upTo, limit, Integer.MAX_VALUE);
            }
            Window recent = walk(from, upTo, limit, Integer.MAX_VALUE);
            if (recent.times().size() >= limit) {
                return new Window(recent.times(), recent.dropped() + 1, false);
            }
        }
    }

    private static final int WALK_LIMIT = 10_000;

    /** The times in {@code (after, upTo]}, or null when there are more than {@code maxSteps}. */
    private Window walk(Instant after, Instant upTo, int limit, int maxSteps) {
        java.util.ArrayDeque<Instant> times = new java.util.ArrayDeque<>();
        long dropped = 0;
        int steps = 0;
        for (Instant t = nextAfter(after); t != null && !t.isAfter(upTo); t = nextAfter(t)) {
            if (++steps > maxSteps) {
                return null;
            }
            times.addLast(t);
            if (times.size() > limit) {
                times.removeFirst();
                dropped++;
            }
        }
        return new Window(List.copyOf(times), dropped, true);
    }

    /**
     * @param times        the newest times, oldest first
     * @param dropped      older times left out by the limit
     * @param droppedExact false when {@code dropped} is only a lower bound (a long range was not walked)
     */
    public record Window(List<Instant> times, long dropped, boolean droppedExact) {
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

}
