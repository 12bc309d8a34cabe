package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN;

import dev.rota.db.EventOutbox;
import dev.rota.db.RunView;
import dev.rota.model.RunState;
import java.time.Duration;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** Plain SQL over {@code event_outbox} (V13), with the run rows through jOOQ's generated table. */
public final class JooqEventOutbox implements EventOutbox {
    private static final Field<Integer> OUTBOX_ATTEMPT = DSL.field(DSL.name("o", "attempt"), Integer.class);
    private static final Field<String> OUTBOX_STATE = DSL.field(DSL.name("o", "state"), String.class);

    private final DSLContext dsl;

    public JooqEventOutbox(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<RunView> unconfirmed(Duration olderThan, int limit) {
        return dsl.select(RUN.asterisk(), OUTBOX_ATTEMPT.as("outbox_attempt"), OUTBOX_STATE.as("outbox_state"))
                .from(DSL.table(DSL.name("event_outbox")).as("o"))
                .join(RUN).on(RUN.ID.eq(DSL.field(DSL.name("o", "run_id"), Long.class)))
                .where(DSL.condition("o.created_at < now() - make_interval(secs => {0})", olderThan.toMillis() / 1000.0))
                .orderBy(DSL.field(DSL.name("o", "id")))
                .limit(limit)
                .fetch(r -> {
                    RunView run = Mapping.run(r.into(RUN));
                    return run.announcing(RunState.valueOf(r.get("outbox_state", String.class)),
                            r.get("outbox_attempt", Integer.class));
                });
    }

    @Override
    public int confirmed(long epoch, List<Key> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        Long[] runs = new Long[keys.size()];
        Integer[] attempts = new Integer[keys.size()];
        String[] states = new String[keys.size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = keys.get(i).runId();
            attempts[i] = keys.get(i).attempt();
            states[i] = keys.get(i).state().name();
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            JooqLeaderLease.checkEpoch(tx, epoch);
            return tx.execute("DELETE FROM event_outbox o USING unnest({0}, {1}, {2}) AS k(run_id, attempt, state)"
                    + " WHERE o.run_id = k.run_id AND o.attempt = k.attempt AND o.state = k.state",
                    DSL.val(runs), DSL.val(attempts), DSL.val(states));
        });
    }
}
