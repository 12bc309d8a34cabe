package dev.rota.db.internal;

import static dev.rota.db.internal.AdminTables.TOKEN;
import static dev.rota.db.internal.AdminTables.TOKEN_CREATED_AT;
import static dev.rota.db.internal.AdminTables.TOKEN_HASH;
import static dev.rota.db.internal.AdminTables.TOKEN_ID;
import static dev.rota.db.internal.AdminTables.TOKEN_NAME;
import static dev.rota.db.internal.AdminTables.TOKEN_REVOKED_AT;
import static dev.rota.db.internal.AdminTables.TOKEN_ROLE;
import static dev.rota.db.internal.AdminTables.TOKEN_TEAM;

import dev.rota.db.ApiToken;
import dev.rota.db.ApiTokens;
import dev.rota.db.AuditEntry;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/** {@link ApiTokens} through jOOQ; creating and revoking append their audit row in the same transaction. */
public final class JooqApiTokens implements ApiTokens {
    private final DSLContext dsl;

    public JooqApiTokens(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public ApiToken create(String name, String team, String role, byte[] hash, AuditEntry audit) {
        try {
            return dsl.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                ApiToken t = tx.insertInto(TOKEN)
                        .set(DSL.field(DSL.name("name"), SQLDataType.CLOB), name)
                        .set(DSL.field(DSL.name("team"), SQLDataType.CLOB), team)
                        .set(DSL.field(DSL.name("role"), SQLDataType.CLOB), role)
                        .set(DSL.field(DSL.name("hash"), SQLDataType.BLOB), hash)
                        .returning(TOKEN_ID, TOKEN_NAME, TOKEN_TEAM, TOKEN_ROLE, TOKEN_CREATED_AT, TOKEN_REVOKED_AT)
                        .fetchSingle(JooqApiTokens::token);
                AdminTables.insertAudit(tx, audit, null, json(t));
                return t;
            });
        } catch (org.jooq.exception.DataAccessException e) {
            if (String.valueOf(e.getMessage()).contains("api_token_name_key")) {
                throw new IllegalArgumentException("a token named '" + name + "' exists already");
            }
            throw e;
        }
    }

    @Override
    public Optional<Stored> find(long id) {
        return dsl.select(TOKEN_ID, TOKEN_NAME, TOKEN_TEAM, TOKEN_ROLE, TOKEN_CREATED_AT, TOKEN_REVOKED_AT, TOKEN_HASH)
                .from(TOKEN).where(TOKEN_ID.eq(id)).fetchOptional(r -> new Stored(token(r), r.get(TOKEN_HASH)));
    }

    @Override
    public List<ApiToken> list() {
        return dsl.select(TOKEN_ID, TOKEN_NAME, TOKEN_TEAM, TOKEN_ROLE, TOKEN_CREATED_AT, TOKEN_REVOKED_AT)
                .from(TOKEN).orderBy(TOKEN_ID).fetch(JooqApiTokens::token);
    }

    @Override
    public Optional<ApiToken> revoke(String name, AuditEntry audit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<ApiToken> revoked = tx.update(TOKEN)
                    .set(DSL.field(DSL.name("revoked_at"), SQLDataType.TIMESTAMPWITHTIMEZONE), DSL.currentOffsetDateTime())
                    .where(TOKEN_NAME.eq(name), TOKEN_REVOKED_AT.isNull())
                    .returning(TOKEN_ID, TOKEN_NAME, TOKEN_TEAM, TOKEN_ROLE, TOKEN_CREATED_AT, TOKEN_REVOKED_AT)
                    .fetchOptional(JooqApiTokens::token);
            revoked.ifPresent(t -> AdminTables.insertAudit(tx, audit, null, json(t)));
            return revoked;
        });
    }

    @Override
    public long activeCount() {
        return dsl.fetchCount(TOKEN, TOKEN_REVOKED_AT.isNull());
    }

    private static ApiToken token(Record r) {
        return new ApiToken(r.get(TOKEN_ID), r.get(TOKEN_NAME), r.get(TOKEN_TEAM), r.get(TOKEN_ROLE),
                Mapping.instant(r.get(TOKEN_CREATED_AT)), Mapping.instant(r.get(TOKEN_REVOKED_AT)));
    }

    private static String json(ApiToken t) {
        return "{\"id\":" + t.id() + ",\"name\":\"" + t.name() + "\",\"team\":"
                + (t.team() == null ? "null" : "\"" + t.team() + "\"") + ",\"role\":\"" + t.role() + "\",\"revoked\":"
                + !t.active() + "}";
    }
}
