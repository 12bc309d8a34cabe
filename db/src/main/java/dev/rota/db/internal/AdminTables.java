package dev.rota.db.internal;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The tables and columns added for operators (V6), named by hand rather than generated, so that the
 * generated classes other work regenerates stay untouched.
 */
final class AdminTables {
    private AdminTables() {
    }

    static final Field<String> RUN_TRIGGERED_BY = DSL.field(DSL.name("triggered_by"), SQLDataType.CLOB);

    /** An attempt's log (V9), at most {@link dev.rota.model.RunLog#MAX_BYTES} bytes. */
    static final Field<String> ATTEMPT_LOG = DSL.field(DSL.name("run_attempt", "log"), SQLDataType.CLOB);

    static final Table<Record> AUDIT = DSL.table(DSL.name("audit_event"));
    static final Field<Long> AUDIT_ID = DSL.field(DSL.name("audit_event", "id"), SQLDataType.BIGINT);
    static final Field<String> AUDIT_ACTOR = DSL.field(DSL.name("audit_event", "actor"), SQLDataType.CLOB);
    static final Field<String> AUDIT_ACTION = DSL.field(DSL.name("audit_event", "action"), SQLDataType.CLOB);
    static final Field<String> AUDIT_TARGET = DSL.field(DSL.name("audit_event", "target"), SQLDataType.CLOB);
    static final Field<String> AUDIT_TEAM = DSL.field(DSL.name("audit_event", "team"), SQLDataType.CLOB);
    static final Field<JSONB> AUDIT_BEFORE = DSL.field(DSL.name("audit_event", "before"), SQLDataType.JSONB);
    static final Field<JSONB> AUDIT_AFTER = DSL.field(DSL.name("audit_event", "after"), SQLDataType.JSONB);
    static final Field<OffsetDateTime> AUDIT_CREATED_AT =
            DSL.field(DSL.name("audit_event", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

    static final Table<Record> TOKEN = DSL.table(DSL.name("api_token"));
    static final Field<Long> TOKEN_ID = DSL.field(DSL.name("api_token", "id"), SQLDataType.BIGINT);
    static final Field<String> TOKEN_NAME = DSL.field(DSL.name("api_token", "name"), SQLDataType.CLOB);
    static final Field<String> TOKEN_TEAM = DSL.field(DSL.name("api_token", "team"), SQLDataType.CLOB);
    static final Field<String> TOKEN_ROLE = DSL.field(DSL.name("api_token", "role"), SQLDataType.CLOB);
    static final Field<byte[]> TOKEN_HASH = DSL.field(DSL.name("api_token", "hash"), SQLDataType.BLOB);
    static final Field<OffsetDateTime> TOKEN_CREATED_AT =
            DSL.field(DSL.name("api_token", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
    static final Field<OffsetDateTime> TOKEN_REVOKED_AT =
            DSL.field(DSL.name("api_token", "revoked_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

    static final Table<Record> IDEMPOTENCY = DSL.table(DSL.name("api_idempotency"));
    static final Field<String> IDEM_OWNER = DSL.field(DSL.name("api_idempotency", "owner"), SQLDataType.CLOB);
    static final Field<String> IDEM_KEY = DSL.field(DSL.name("api_idempotency", "key"), SQLDataType.CLOB);
    static final Field<String> IDEM_FINGERPRINT = DSL.field(DSL.name("api_idempotency", "fingerprint"), SQLDataType.CLOB);
    static final Field<Integer> IDEM_STATUS = DSL.field(DSL.name("api_idempotency", "status"), SQLDataType.INTEGER);
    static final Field<String> IDEM_BODY = DSL.field(DSL.name("api_idempotency", "body"), SQLDataType.CLOB);

    /** Inserts one audit row; {@code before} and {@code after} are JSON text or null. */
    static void insertAudit(org.jooq.DSLContext tx, dev.rota.db.AuditEntry a, String before, String after) {
        tx.insertInto(AUDIT)
                .set(DSL.field(DSL.name("actor"), SQLDataType.CLOB), a.actor())
                .set(DSL.field(DSL.name("action"), SQLDataType.CLOB), a.action())
                .set(DSL.field(DSL.name("target"), SQLDataType.CLOB), a.target())
                .set(DSL.field(DSL.name("team"), SQLDataType.CLOB), a.team())
                .set(DSL.field(DSL.name("before"), SQLDataType.JSONB), Mapping.jsonb(before))
                .set(DSL.field(DSL.name("after"), SQLDataType.JSONB), Mapping.jsonb(after))
                .execute();
    }
}
