package dev.rota.cli.demo;

import dev.rota.master.MasterListener;
import dev.rota.worker.WorkerListener;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The demo's readable stream: one timestamped line per event, {@code 12:00:05.012  worker-1  ...}. Masters'
 * and workers' listeners only format and enqueue (they must not block their callers' threads); one
 * daemon thread, {@code rota-demo-narrator}, prints in arrival order. {@link #close()} prints what is
 * queued, then stops the thread.
 */
public final class Narrator implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);

    private record Line(String text) {
    }

    private static final Line END = new Line("");

    private final PrintWriter out;
    private final Clock clock;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final Thread printer;

    public Narrator(PrintWriter out, Clock clock) {
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.printer = new Thread(this::printUntilEnd, "rota-demo-narrator");
        printer.setDaemon(true);
        printer.start();
    }

    /** Queues one line spoken by {@code who} (a master or worker id, or {@code demo}). */
    public void say(String who, String text) {
        lines.add(new Line(TIME.format(clock.instant().atZone(zone())) + "  " + pad(who) + "  "
                + dev.rota.model.Printable.escape(text)));
    }

    /** Narrates the events of one master. */
    public MasterListener forMaster(String masterId) {
        return (event, detail) -> DemoEvents.master(event, detail, zone()).ifPresent(text -> say(masterId, text));
    }

    /** Narrates the events of one worker. */
    public WorkerListener forWorker(String workerId) {
        return (event, task, detail) -> DemoEvents.worker(event, task, detail, zone())
                .ifPresent(text -> say(workerId, text));
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    private void printUntilEnd() {
        try {
            for (Line line = lines.take(); line != END; line = lines.take()) {
                out.println(line.text());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pad(String who) {
        return who.length() >= 8 ? who : who + " ".repeat(8 - who.length());
    }

    @Override
    public void close() {
        lines.add(END);
        try {
            printer.join(DRAIN_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
