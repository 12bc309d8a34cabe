package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.LEADER_LEASE;

import dev.rota.db.FencedException;
import dev.rota.db.LeaderLease;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The single {@code leader_lease} row. */
public final class JooqLeaderLease implements LeaderLease {
    private final DSLContext dsl;

    public JooqLeaderLease(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public long acquire(String leaderId) {
        return dsl.update(LEADER_LEASE)
                .set(LEADER_LEASE.EPOCH, LEADER_LEASE.EPOCH.plus(1))
                .set(LEADER_LEASE.LEADER_ID, leaderId)
                .set(LEADER_LEASE.ACQUIRED_AT, DSL.currentOffsetDateTime())
                .where(LEADER_LEASE.ID.eq((short) 1))
                .returning(LEADER_LEASE.EPOCH)
                .fetchSingle(LEADER_LEASE.EPOCH);
    }

    @Override
    public Current current() {
        var r = dsl.selectFrom(LEADER_LEASE).where(LEADER_LEASE.ID.eq((short) 1)).fetchSingle();
        return new Current(r.getEpoch(), r.getLeaderId());
    }

    /**
     * Within a transaction: takes a shared lock on the lease row (it conflicts with {@link #acquire}'s
     * update) and checks that {@code epoch} is still current.
     *
     * @throws FencedException when it is not
     */
    static void checkEpoch(DSLContext tx, long epoch) {
        long current = tx.select(LEADER_LEASE.EPOCH).from(LEADER_LEASE)
                .where(LEADER_LEASE.ID.eq((short) 1))
                .forShare()
                .fetchSingle(LEADER_LEASE.EPOCH);
        if (current != epoch) {
            throw new FencedException(epoch, current);
        }
    }
}
