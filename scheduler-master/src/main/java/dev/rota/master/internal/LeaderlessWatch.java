package dev.rota.master.internal;

import dev.rota.db.Alerts;
import dev.rota.master.AlertConfig;
import dev.rota.master.MasterEvent;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every master, leader or not, for the NO_LEADER alert: every check interval it has the database
 * compare the leader's last beat with the NO_LEADER rules' thresholds (one delivery per rule and gap, whichever
 * masters notice it), and, while this master does not lead, sends those deliveries itself, since no leader will.
 * One dedicated thread; {@link #close} interrupts it and stops its HTTP client.
 */
public final class LeaderlessWatch implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderlessWatch.class);

    private final Alerts alerts;
    private final String masterId;
    private final AlertConfig config;
    private final BooleanSupplier leading;
    private final BiConsumer<MasterEvent, String> events;
    private final AlertSender sender;
    private volatile Thread thread;

    public LeaderlessWatch(Alerts alerts, String masterId, AlertConfig config, BooleanSupplier leading, Clock clock,
            BiConsumer<MasterEvent, String> events) {
        this.alerts = alerts;
        this.masterId = masterId;
        this.config = config;
        this.leading = leading;
        this.events = events;
        this.sender = new AlertSender(alerts, alerts::claimLeaderless, config, clock, Math::random, events,
                "rota-leaderless-http-" + masterId);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                // Waiting first lets a master that starts and wins the election beat before it looks: a gap
                // that ended with this very start is not reported after the fact on every restart.
                Thread.sleep(config.leaderlessCheckInterval().toMillis());
                checkOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("master {}: leaderless check failed, next in {} ms: {}", masterId,
                        config.leaderlessCheckInterval().toMillis(), e.toString());
                try {
                    Thread.sleep(config.leaderlessCheckInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        log.debug("master {}: leaderless watch stopped", masterId);
    }

    /** One check: notice a gap, then send NO_LEADER deliveries unless this master leads (its term sends them). */
    void checkOnce() throws InterruptedException {
        int made = alerts.noticeLeaderless(masterId);
        if (made > 0) {
            log.warn("master {}: the cluster has had no leader for longer than {} NO_LEADER rule(s) allow", masterId,
                    made);
            events.accept(MasterEvent.LEADERLESS_NOTICED, made + " NO_LEADER alert(s)");
        }
        if (!leading.getAsBoolean()) {
            sender.sendDue();
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        sender.close();
    }
}
