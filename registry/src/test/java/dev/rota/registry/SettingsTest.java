package dev.rota.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ClusterSettings;
import dev.rota.model.QueueType;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;




import org.junit.jupiter.api.Test;

class SettingsTest extends ZooKeeperTest {
    private ClusterSettings settings(int deliveryLimit) {
        return new ClusterSettings("amqp://guest:guest@127.0.0.1:5672/%2F", cluster.namespace(), QueueType.QUORUM,
                deliveryLimit, Duration.ofSeconds(3), 1024);
    }

    @Test
    void publishedSettingsCanBeReadAndAwaited_andTheLastWriteWins() throws Exception {
        Registry master = cluster.startRegistry();
        Registry worker = cluster.startRegistry();
        assertThat(worker.readSettings()).isEmpty();

        master.publishSettings(settings(3));
        assertThat(worker.readSettings()).contains(settings(3));

        master.publishSettings(settings(7));
        assertThat(worker.readSettings()).contains(settings(7));
        assertThat(worker.awaitSettings(Duration.ofSeconds(1))).isEqualTo(settings(7));
    }

    @Test
    void awaitingSettingsThatNeverComeFailsWithAClearMessage() {
        Registry worker = cluster.startRegistry();

        assertThatThrownBy(() -> worker.awaitSettings(Duration.ofMillis(500)))
                .isInstanceOf(RegistryException.class)
                .hasMessage("no cluster settings in ZooKeeper at " + zooKeeper.connectString() + "/rota/"
                        + cluster.namespace() + "/settings after 0.5s; is a master running?");
    }

    @Test
    void aWaitingWorkerWakesWhenAMasterPublishes() throws Exception {
        Registry worker = cluster.startRegistry();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> outcome.set(awaitOrFailure(worker, Duration.ofSeconds(30))), "settings-waiter");
        waiter.start();
        await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

        cluster.startRegistry().publishSettings(settings(4));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(outcome.get()).isEqualTo(settings(4)));
    }

    @Test
    void aWaitingWorkerCanBeInterrupted() {
        Registry worker = cluster.startRegistry();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> outcome.set(awaitOrFailure(worker, Duration.ofSeconds(30))), "settings-waiter");
        waiter.start();
        await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

        waiter.interrupt();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(outcome.get()).isInstanceOf(InterruptedException.class));
    }

    private static Object awaitOrFailure(Registry registry, Duration timeout) {
        try {
            return registry.awaitSettings(timeout);
        } catch (InterruptedException | RuntimeException e) {
            return e;
        }
    }
}
