package dev.rota.http;

import dev.rota.admin.Principal;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out to the live-stream subscribers. {@link #publish} never blocks: events queue (up to
 * {@value #CAPACITY}; beyond that they are dropped and counted) and one daemon thread delivers them,
 * so a slow client slows only that thread, never the master's.
 */
public final class EventHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventHub.class);
    static final int CAPACITY = 10_000;

    /** A subscriber: who it is (for team scoping) and where its events go. */
    public record Subscriber(Principal who, Consumer<ApiEvent> sink) {
    }

    private final BlockingQueue<ApiEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread deliverer = new Thread(this::deliverUntilClosed, "rota-api-events");

    public EventHub() {
        deliverer.setDaemon(true);
        deliverer.start();
    }

    /** Queues an event for every subscriber allowed to see it; drops it when the queue is full. Any thread. */
    public void publish(ApiEvent event) {
        if (!subscribers.isEmpty() && !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** @return a handle that unsubscribes */
    public AutoCloseable subscribe(Subscriber s) {
        subscribers.add(s);
        return () -> subscribers.remove(s);
    }

    public int subscribers() {
        return subscribers.size();
    }

    public long dropped() {
        return dropped.get();
    }

    private void deliverUntilClosed() {
        while (true) {
            ApiEvent e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            for (Subscriber s : subscribers) {
                if (e.team() == null || s.who().mayAct(e.team())) {
                    try {
                        s.sink().accept(e);
                    } catch (RuntimeException ex) {
                        log.debug("dropping an event subscriber: {}", ex.toString());
                        subscribers.remove(s);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        deliverer.interrupt();
        subscribers.clear();
    }
}
