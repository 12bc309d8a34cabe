package dev.rota.master.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.registry.LeadershipListener;
import dev.rota.registry.MasterInfo;
import dev.rota.registry.MasterMembership;
import dev.rota.registry.Registry;
import dev.rota.registry.RegistryBuilder;
import dev.rota.testsupport.InProcessZooKeeper;
import dev.rota.testsupport.TestServers;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A standby's watch on the leader's liveness beacon, against a real ZooKeeper. The "dead" leader keeps
 * its ZooKeeper session (as a killed process's session lingers until it expires): only its beacon
 * closes, and the standby must take over long before the 30 s session would expire.
 */
class LeaderWatchTest {
    private static final Duration LONG_SESSION = Duration.ofSeconds(30); // the in-process server caps it at 4 s
    private static final Duration CHECK = Duration.ofMillis(200);

    private InProcessZooKeeper zk;
    private Registry leaderSide;
    private Registry standbySide;
    private LivenessBeacon beacon;
    private LeaderWatch watch;
    private Thread watching;

    @BeforeEach
    void twoMasters() {
        zk = new InProcessZooKeeper();
        String namespace = TestServers.uniqueName("watch");
        leaderSide = registry(namespace);
        standbySide = registry(namespace);
    }

    private Registry registry(String namespace) {
        Registry r = new RegistryBuilder().connectString(zk.connectString()).namespace(namespace)
                .sessionTimeout(LONG_SESSION).build();
        r.start();
        return r;
    }

    private static final LeadershipListener IGNORE = new LeadershipListener() {
        @Override
        public void isLeader() {
        }

        @Override
        public void notLeader(String reason) {
        }
    };

    private void join(String beaconAddress) throws Exception {
        leaderSide.joinAsMaster(new MasterInfo("m-1", "localhost", "test", Instant.now(), beaconAddress), IGNORE);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderSide.status().leaderId().equals(Optional.of("m-1")));
        standbySide.joinAsMaster(new MasterInfo("m-2", "localhost", "test", Instant.now(), null), IGNORE);
        watch = new LeaderWatch(standbySide, "m-2", CHECK);
        watching = new Thread(watch, "test-leader-watch");
        watching.setDaemon(true);
        watching.start();
    }

    @AfterEach
    void close() throws Exception {
        if (watch != null) {
            watch.close();
            watching.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (beacon != null) {
            beacon.close();
        }
        standbySide.close();
        leaderSide.close();
        zk.close();
    }

    @Test
    void whenTheLeadersBeaconClosesTheStandbyLeadsWithinASecondThoughTheSessionLivesOn() throws Exception {
        beacon = new LivenessBeacon("m-1", "127.0.0.1");
        join(beacon.address());
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> standbySide.status().leaderId().equals(Optional.of("m-1")));

        long closedAt = System.nanoTime();
        beacon.close();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                .until(() -> standbySide.status().leaderId().equals(Optional.of("m-2")));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);
        assertThat(tookMillis).isLessThan(1_000);
        assertThat(Duration.ofMillis(tookMillis)).as("faster than the session could expire")
                .isLessThan(leaderSide.negotiatedSessionTimeout());
        assertThat(leaderSide.status().masters()).as("the old leader's session (and its node) still lives")
                .extracting(MasterInfo::id).contains("m-1");
    }

    @Test
    void aLiveLeaderIsNeverEvicted() throws Exception {
        beacon = new LivenessBeacon("m-1", "127.0.0.1");
        join(beacon.address());

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> standbySide.status().leaderId().equals(Optional.of("m-1")));
    }

    @Test
    void aBeaconNobodyListensOnAnyMoreMeansTheProcessIsGone() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        join("127.0.0.1:" + freePort);

        await().atMost(Duration.ofSeconds(2)).until(() -> standbySide.status().leaderId().equals(Optional.of("m-2")));
    }

    @Test
    void aLeaderReadsNothingWhileItLeadsAndWatchesItsSuccessorAsSoonAsTheElectionChanges() throws Exception {
        AtomicInteger statusReads = new AtomicInteger();
        Registry counted = (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(),
                new Class<?>[] {Registry.class}, (proxy, method, args) -> {
                    if (method.getName().equals("status")) {
                        statusReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(standbySide, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        MasterMembership leading = standbySide.joinAsMaster(
                new MasterInfo("m-2", "localhost", "test", Instant.now(), null), IGNORE);
        await().atMost(Duration.ofSeconds(5)).until(leading::isLeader);
        beacon = new LivenessBeacon("m-1", "127.0.0.1");
        MasterMembership next = leaderSide.joinAsMaster(
                new MasterInfo("m-1", "localhost", "test", Instant.now(), beacon.address()), IGNORE);
        watch = new LeaderWatch(counted, "m-2", CHECK, Duration.ofMinutes(10));
        watching = new Thread(watch, "test-leader-watch");
        watching.setDaemon(true);
        watching.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> statusReads.get() >= 1);

        // Polling every 200 ms would read five times a second; the leader reads once or twice (the watch's set-up).
        AtomicInteger seen = new AtomicInteger(-1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    int now = statusReads.get();
                    return now == seen.getAndSet(now);
                });
        assertThat(statusReads.get()).isLessThanOrEqualTo(3);
        int idleReads = statusReads.get();

        leading.stepDown();
        await().atMost(Duration.ofSeconds(5)).until(next::isLeader);
        await().atMost(Duration.ofSeconds(2)).until(() -> statusReads.get() > idleReads);
        // The watch woke for the election's change (not after its ten-minute recheck): it watches m-1's beacon now.
        beacon.close();
        await().atMost(Duration.ofSeconds(2)).until(leading::isLeader);
    }

    @Test
    void watchingStopsPromptlyOnClose() throws Exception {
        beacon = new LivenessBeacon("m-1", "127.0.0.1");
        join(beacon.address());
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                watching.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        watch.close();

        stopped.get(2, TimeUnit.SECONDS);
        assertThat(standbySide.status().leaderId()).contains("m-1");
    }
}
