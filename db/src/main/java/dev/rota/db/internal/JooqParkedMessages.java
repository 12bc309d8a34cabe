package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.PARKED_MESSAGE;

import dev.rota.db.ParkedMessages;
import java.util.List;
import org.jooq.DSLContext;

/** The {@code parked_message} table through jOOQ. */
public final class JooqParkedMessages implements ParkedMessages {
    /** Longest reason stored; a reason is for reading, and an exception's text can be long. */
    static final int MAX_REASON_CHARS = 2_000;

    private final DSLContext dsl;

    public JooqParkedMessages(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public long park(String source, String reason, byte[] body) {
        String why = Text.clean(reason == null ? "no reason given" : reason);
        if (why.length() > MAX_REASON_CHARS) {
            why = why.substring(0, MAX_REASON_CHARS) + "...";
        }
        return dsl.insertInto(PARKED_MESSAGE)
                .set(PARKED_MESSAGE.SOURCE, Text.clean(source))
                .set(PARKED_MESSAGE.REASON, why)
                .set(PARKED_MESSAGE.BODY, body == null ? new byte[0] : body)
                .returning(PARKED_MESSAGE.ID).fetchSingle().getId();
    }

    @Override
    public List<Parked> recent(int limit) {
        return dsl.selectFrom(PARKED_MESSAGE).orderBy(PARKED_MESSAGE.ID.desc()).limit(limit)
                .fetch(r -> new Parked(r.getId(), r.getSource(), r.getReason(), r.getBody(),
                        Mapping.instant(r.getCreatedAt())));
    }
}
