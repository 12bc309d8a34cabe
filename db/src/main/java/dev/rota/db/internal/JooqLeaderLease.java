package dev.rota.db.internal;

import static dev.rota.db.internal.jooq.Tables.LEADER_LEASE;

import dev.rota.db.FencedException;
import dev.rota.db.LeaderLease;
import java.time.Duration;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The single {@code leader_lease} row. */
public final class JooqLeaderLease implements LeaderLease {
    private static final Logger log = LoggerFactory.getLogger(JooqLeaderLease.class);
    /** How long a new leader waits for the previous leader's transactions before ending them. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(1);
    private static final int MAX_ATTEMPTS = 5;
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final DSLContext dsl;

    public JooqLeaderLease(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Bumps the epoch. A dispatch transaction of the previous leader holds a shared lock on the row
     * only for milliseconds; one that holds it longer belongs to a process that is paused (SIGSTOP, a
     * long GC) or cut off mid-transaction, and would block the new leader for as long as it stays
     * frozen. After {@link #LOCK_WAIT}, the sessions holding the lease are ended (their transactions roll
     * back, and their epoch is fenced off anyway) and the bump is tried again.
     */
    @Override
    public long acquire(String leaderId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dsl.transactionResult(cfg -> {
                    DSLContext tx = cfg.dsl();
                    tx.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT.toMillis() + "ms'");
                    return tx.update(LEADER_LEASE)
                            .set(LEADER_LEASE.EPOCH, LEADER_LEASE.EPOCH.plus(1))
                            .set(LEADER_LEASE.LEADER_ID, leaderId)
                            .set(LEADER_LEASE.ACQUIRED_AT, DSL.currentOffsetDateTime())
                            .where(LEADER_LEASE.ID.eq((short) 1))
                            .returning(LEADER_LEASE.EPOCH)
                            .fetchSingle(LEADER_LEASE.EPOCH);
                });
            } catch (DataAccessException e) {
                if (!LOCK_NOT_AVAILABLE.equals(e.sqlState()) || attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                int ended = endSessionsHoldingTheLease();
                log.warn("{} could not take the leader lease within {} ms: it is held by a transaction that does not"
                        + " finish (a paused or cut-off old leader); ended {} session(s) and trying again",
                        leaderId, LOCK_WAIT.toMillis(), ended);
            }
        }
    }

    private int endSessionsHoldingTheLease() {
        return dsl.fetchValue(DSL.field("(SELECT count(pg_terminate_backend(pid)) FROM pg_locks"
                + " WHERE relation = 'leader_lease'::regclass AND granted AND pid <> pg_backend_pid())", Integer.class));
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
