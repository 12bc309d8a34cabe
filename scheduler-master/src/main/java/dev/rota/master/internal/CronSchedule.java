package dev.rota.master.internal;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A validated Quartz cron expression (seconds first) in a time zone. The only place, besides
 * {@link FireClock}, that knows Quartz.
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
     *
     * @return the times, and how many older ones were dropped by the limit
     */
    public Window between(Instant after, Instant upTo, int limit) {
        List<Instant> times = new ArrayList<>();
        long dropped = 0;
        for (Instant t = nextAfter(after); t != null && !t.isAfter(upTo); t = nextAfter(t)) {
            times.add(t);
            if (times.size() > limit) {
                times.remove(0);
                dropped++;
            }
        }
        return new Window(times, dropped);
    }

    public record Window(List<Instant> times, long dropped) {
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    CronExpression quartz() {
        return cron;
    }
}
