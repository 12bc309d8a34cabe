package dev.rota.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rota.model.ClusterSettings;
import dev.rota.model.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper digest authentication and ACLs against a real (in-process) server: masters write settings,
 * election and failover; workers read the settings and write their own membership; anyone else reads
 * nothing but membership.
 */
class ZkAuthTest extends ZooKeeperTest {
    private static final Credentials MASTER = new Credentials("rota-master", "m-secret");
    private static final Credentials WORKER = new Credentials("rota-worker", "w-secret");

    private Registry master;
    private CuratorFramework anonymous;
    private CuratorFramework workerClient;
    private CuratorFramework wrongPassword;
    private String base;

    @BeforeEach
    void startHardenedMaster() throws Exception {
        master = cluster.startRegistry(ZkAuth.forMaster(MASTER, WORKER));
        master.publishSettings(ClusterSettings.defaults("amqp://127.0.0.1:5672/%2F", cluster.namespace()));
        master.joinAsMaster(TestCluster.master("m1"), new LeadershipListener() {
            @Override
            public void isLeader() {
            }

            @Override
            public void notLeader(String reason) {
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> master.status().leaderId().isPresent());
        base = "/rota/" + cluster.namespace();
        anonymous = client(null);
        workerClient = client(WORKER);
        wrongPassword = client(new Credentials(WORKER.user(), "guessed"));
    }

    @AfterEach
    void closeClients() {
        for (CuratorFramework c : new CuratorFramework[] {anonymous, workerClient, wrongPassword}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private CuratorFramework client(Credentials auth) throws InterruptedException {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder().connectString(zooKeeper.connectString())
                .retryPolicy(new RetryOneTime(100));
        if (auth != null) {
            b.authorization("digest", (auth.user() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework c = b.build();
        c.start();
        c.blockUntilConnected();
        return c;
    }

    @Test
    void anonymousClientsAndWrongPasswordsCannotReadTheSettingsOrTouchTheElection() throws Exception {
        for (CuratorFramework outsider : List.of(anonymous, wrongPassword)) {
            assertThatThrownBy(() -> outsider.getData().forPath(base + "/settings"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.setData().forPath(base + "/settings", "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.create().forPath(base + "/failover", "{}".getBytes()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.getChildren().forPath(base + "/election"))
                    .isInstanceOf(KeeperException.NoAuthException.class);
        }
    }

    @Test
    void membershipIsReadableByAnyone() throws Exception {
        assertThat(anonymous.getChildren().forPath(base + "/masters")).containsExactly("m1");
    }

    @Test
    void aWorkerReadsTheSettingsAndRegistersButCannotChangeSettingsOrForceAFailover() throws Exception {
        Registry worker = cluster.startRegistry(ZkAuth.forWorker(WORKER));
        assertThat(worker.awaitSettings(Duration.ofSeconds(5)).namespace()).isEqualTo(cluster.namespace());
        worker.registerWorker(TestCluster.worker("w1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> master.status().workers().size() == 1);

        assertThatThrownBy(() -> workerClient.setData().forPath(base + "/settings", "{}".getBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> workerClient.create().forPath(base + "/failover", "{}".getBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> anonymous.delete().forPath(base + "/workers/w1"))
                .isInstanceOf(KeeperException.NoAuthException.class);
        assertThatThrownBy(() -> anonymous.create().forPath(base + "/workers/fake", "{}".getBytes()))
                .isInstanceOf(KeeperException.NoAuthException.class);
    }

    @Test
    void theAuthTextNamesWhatIsWrong() {
        assertThat(ZkAuth.parse("# ours\nmaster=m:pw\nworker=w:p:w\n")).isEqualTo(
                ZkAuth.forMaster(new Credentials("m", "pw"), new Credentials("w", "p:w")));
        assertThatThrownBy(() -> ZkAuth.parse("master=m:pw")).hasMessageContaining("'worker=user:password'");
        assertThatThrownBy(() -> ZkAuth.parse("worker=w:pw\nadmin=a:b")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ZkAuth.parse("worker=nopassword")).hasMessageContaining("user:password");
    }
}
