package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.RUN_ATTEMPT;

import dev.rota.db.internal.jooq.tables.records.RunAttemptRecord;
import dev.rota.db.internal.jooq.tables.records.RunRecord;
import dev.rota.model.ResultMessage;
import java.util.Objects;
import org.jooq.DSLContext;

/**
 * Binds an attempt to the broker identity that started it. The first STARTED (or any first report)
 * of an attempt records its sender ({@link ResultMessage#sender()}, the AMQP {@code user_id} RabbitMQ
 * validated); from then on only reports from that same identity count. A worker identity may take a
 * task nobody has started, as it could by consuming the task queue; it can never finish, fail, cancel
 * or keep alive an attempt another identity started. When nobody sets {@code user_id} (an open
 * cluster), every sender is null and everything is accepted as before.
 */
final class SenderCheck {
    private SenderCheck() {
    }

    /** Why {@code m} must be refused for the run's current attempt, or null when it may be applied. */
    static String refusal(DSLContext tx, RunRecord run, ResultMessage m) {
        RunAttemptRecord attempt = tx.selectFrom(RUN_ATTEMPT)
                .where(RUN_ATTEMPT.RUN_ID.eq(run.getId()), RUN_ATTEMPT.ATTEMPT.eq(run.getAttempt()))
                .fetchOne();
        if (attempt == null || attempt.getStartedAt() == null) {
            return null;
        }
        if (Objects.equals(attempt.getStartedBy(), m.sender())) {
            return null;
        }
        return m.status() + " sent by " + identity(m.sender()) + " (claiming worker " + m.workerId()
                + ") for an attempt started by " + identity(attempt.getStartedBy());
    }

    private static String identity(String sender) {
        return sender == null ? "an unnamed sender" : "'" + sender + "'";
    }
}
