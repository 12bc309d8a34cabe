package dev.rota.db.internal;

import static dev.rota.db.internal.AdminTables.IDEMPOTENCY;
import static dev.rota.db.internal.AdminTables.IDEM_BODY;
import static dev.rota.db.internal.AdminTables.IDEM_FINGERPRINT;
import static dev.rota.db.internal.AdminTables.IDEM_KEY;
import static dev.rota.db.internal.AdminTables.IDEM_OWNER;
import static dev.rota.db.internal.AdminTables.IDEM_STATUS;

import dev.rota.db.IdempotencyKeys;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** {@link IdempotencyKeys} through jOOQ: the primary key (owner, key) decides which request is first. */
public final class JooqIdempotencyKeys implements IdempotencyKeys {
    private final DSLContext dsl;

    public JooqIdempotencyKeys(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public Claim begin(String owner, String key, String fingerprint) {
        int inserted = dsl.insertInto(IDEMPOTENCY)
                .set(DSL.field(DSL.name("owner"), SQLDataType.CLOB), owner)
                .set(DSL.field(DSL.name("key"), SQLDataType.CLOB), key)
                .set(DSL.field(DSL.name("fingerprint"), SQLDataType.CLOB), fingerprint)
                .onConflictDoNothing().execute();
        if (inserted == 1) {
            return new Claim(Kind.NEW, 0, null);
        }
        var r = dsl.select(IDEM_FINGERPRINT, IDEM_STATUS, IDEM_BODY).from(IDEMPOTENCY)
                .where(IDEM_OWNER.eq(owner), IDEM_KEY.eq(key)).fetchOptional();
        if (r.isEmpty()) {
            return begin(owner, key, fingerprint);
        }
        if (!r.get().value1().equals(fingerprint)) {
            return new Claim(Kind.MISMATCH, 0, null);
        }
        if (r.get().value2() == null) {
            return new Claim(Kind.IN_PROGRESS, 0, null);
        }
        return new Claim(Kind.REPLAY, r.get().value2(), r.get().value3());
    }

    @Override
    public void complete(String owner, String key, int status, String body) {
        dsl.update(IDEMPOTENCY)
                .set(DSL.field(DSL.name("status"), SQLDataType.INTEGER), status)
                .set(DSL.field(DSL.name("body"), SQLDataType.CLOB), body)
                .where(IDEM_OWNER.eq(owner), IDEM_KEY.eq(key)).execute();
    }

    @Override
    public void release(String owner, String key) {
        dsl.deleteFrom(IDEMPOTENCY).where(IDEM_OWNER.eq(owner), IDEM_KEY.eq(key), IDEM_STATUS.isNull()).execute();
    }
}
