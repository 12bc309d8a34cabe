package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rota.db.RotaDatabase;
import dev.rota.master.Master;
import dev.rota.master.MasterConfig;
import dev.rota.master.MasterListener;
import dev.rota.model.MessageCodec;
import dev.rota.registry.RegistryConfig;
import dev.rota.testsupport.TestServers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep, stepped by hand: it may back off only while nothing is in flight. While a run is QUEUED or
 * RUNNING its deadline may pass at any moment, so the sweep keeps its interval (a backed-off sweep would
 * declare a timed-out run late by up to {@code maxIdleInterval}).
 */
class SweeperTest {
    private final String schema = TestServers.uniqueName("sweep").toLowerCase();
    private RotaDatabase db;
    private long epoch;
    private Sweeper sweeper;

    @BeforeEach
    void setUp() {
        TestServers.Postgres pg = TestServers.postgres();
        db = RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema).build();
        db.migrate();
        epoch = db.lease().acquire("m1");
        MasterConfig config = Master.builder().masterId("m1")
                .registry(new RegistryConfig("127.0.0.1:1", schema, RegistryConfig.DEFAULT_SESSION_TIMEOUT,
                        RegistryConfig.DEFAULT_CONNECTION_TIMEOUT))
                .database(RotaDatabase.builder().url(pg.url()).user(pg.user()).password(pg.password()).schema(schema).config())
                .amqpUri("amqp://127.0.0.1:1").config();
        TermContext ctx = new TermContext(config, db, null, null, new MessageCodec(), MasterListener.NONE,
                Clock.systemUTC(), e -> { }, null);
        // Nothing to end in these tests, so nothing to publish.
        sweeper = new Sweeper(ctx, epoch, null);
    }

    @AfterEach
    void tearDown() {
        db.close();
        TestServers.dropSchema(schema);
    }

    @Test
    void theSweepBacksOffOnlyWhileNothingIsInFlight() throws Exception {
        sql("INSERT INTO run (task_type, scheduled_at) VALUES ('later', now() + interval '1 hour')");
        assertThat(sweeper.runOnce()).as("only a run due later: nothing to watch").isFalse();

        sql("INSERT INTO run (task_type, state, attempt, epoch, dispatched_at, started_at, deadline_at, worker_id)"
                + " VALUES ('t', 'RUNNING', 1, " + epoch + ", now(), now(), now() + interval '1 hour', 'w1')");
        assertThat(sweeper.runOnce()).as("a run in flight, not yet overdue: sweep again at the interval").isTrue();

        sql("UPDATE run SET state = 'QUEUED' WHERE state = 'RUNNING'");
        assertThat(sweeper.runOnce()).as("queued counts too").isTrue();
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute(statement);
        }
    }
}
