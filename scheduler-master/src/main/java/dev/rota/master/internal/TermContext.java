package dev.rota.master.internal;

import com.rabbitmq.client.Connection;
import dev.rota.db.RotaDatabase;
import dev.rota.master.EventFacts;
import dev.rota.master.MasterConfig;
import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import dev.rota.model.MessageCodec;
import dev.rota.registry.Registry;
import java.time.Clock;

/**
 * What a leadership term works with: the master's long-lived resources, shared by every term.
 *
 * @param fencedAt called (from any term thread) with the stale epoch when a write of that term was fenced
 *                 off, or with -1 when a term could not start: the master must step down, unless it leads
 *                 with another epoch by then
 * @param backlog  where each term's backlog monitor leaves its measurements
 */
public record TermContext(MasterConfig config, RotaDatabase db, Registry registry, Connection amqp, MessageCodec codec,
        MasterListener listener, Clock clock, java.util.function.LongConsumer fencedAt, BacklogView backlog) {

    /** Have the master step down whatever its epoch (a term that could not start). */
    public Runnable onFenced() {
        return () -> fencedAt.accept(-1);
    }

    /** The facts of a run the master just changed. */
    static EventFacts.Run facts(dev.rota.db.RunView run, EventFacts.Cause cause) {
        return new EventFacts.Run(run.id(), run.attempt(), run.team(), run.jobName(), run.taskType(), run.state(),
                run.scheduledAt(), run.startedAt(), cause);
    }

    /** A write was fenced off: report it and have the master step down. */
    void fenced(dev.rota.db.FencedException e) {
        emit(MasterEvent.FENCED, e.getMessage());
        fencedAt.accept(e.staleEpoch());
    }

    void emit(MasterEvent event, String detail) {
        emit(event, detail, EventFacts.NONE);
    }

    void emit(MasterEvent event, String detail, EventFacts facts) {
        try {
            listener.on(event, detail, facts);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TermContext.class).warn("listener failed on {}", event, e);
        }
    }
}
