package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN;
import static dev.rota.db.internal.jooq.Tables.RUN_ATTEMPT;

import dev.rota.model.ResultMessage;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Binds an attempt to the broker identity that started it. The first report that starts an attempt
 * (STARTED, or a final result that implies the start) records its sender ({@link ResultMessage#sender()},
 * the AMQP {@code user_id} RabbitMQ validated) as {@code run_attempt.started_by}; from then on only
 * reports from that same identity count. A worker identity may take a task nobody has started, as it
 * could by consuming the task queue; it can never finish, fail, cancel or keep alive an attempt another
 * identity started. When nobody sets {@code user_id} (an open cluster), every sender is null and
 * everything is accepted as before.
 */
final class SenderCheck {
    private SenderCheck() {
    }

    /** Loads, for each locked run, whether its current attempt has started and by whom. */
    static void load(DSLContext tx, Map<Long, RunChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        tx.select(RUN_ATTEMPT.RUN_ID, RUN_ATTEMPT.STARTED_AT, RUN_ATTEMPT.STARTED_BY)
                .from(RUN_ATTEMPT).join(RUN).on(RUN.ID.eq(RUN_ATTEMPT.RUN_ID), RUN.ATTEMPT.eq(RUN_ATTEMPT.ATTEMPT))
                .where(RUN.ID.eq(DSL.any(changes.keySet().toArray(Long[]::new))))
                .forEach(r -> changes.get(r.value1()).boundTo(r.value2() != null, r.value3()));
    }

    /** Why {@code m} must be refused for an attempt so bound, or null when it may be applied. */
    static String refusal(boolean started, String startedBy, ResultMessage m) {
        if (!started || Objects.equals(startedBy, m.sender())) {
            return null;
        }
        return m.status() + " sent by " + identity(m.sender()) + " (claiming worker " + m.workerId()
                + ") for an attempt started by " + identity(startedBy);
    }

    private static String identity(String sender) {
        return sender == null ? "an unnamed sender" : "'" + sender + "'";
    }
}
