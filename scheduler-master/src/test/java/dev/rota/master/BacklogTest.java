package dev.rota.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rota.db.TaskSubmission;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader sees task messages that no worker takes, reports them once, and exposes the figures. */
class BacklogTest {
    private ClusterFixture cluster;

    @BeforeEach
    void setUp() {
        cluster = new ClusterFixture();
        cluster.taskTypes.add("unserved");
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void tasksNoWorkerConsumesAreReportedBehindWithTheirFigures() throws Exception {
        Master m = cluster.startMaster("m1");
        await().atMost(Duration.ofSeconds(10)).until(() -> m.isLeader() && m.epoch() > 0);
        for (int i = 0; i < 5; i++) {
            m.database().runs().submit(TaskSubmission.of("unserved", "{}", Instant.now()));
        }

        await().atMost(Duration.ofSeconds(25)).until(() -> cluster.count(MasterEvent.BACKLOG_BEHIND) == 1
                && m.backlog().loads().stream().anyMatch(l -> l.taskType().equals("unserved") && l.readyMessages() == 5));
        Backlog.TaskTypeLoad load = m.backlog().loads().stream().filter(l -> l.taskType().equals("unserved"))
                .findFirst().orElseThrow();
        assertThat(load.consumers()).isZero();
        assertThat(load.workerCapacity()).isZero();
        assertThat(load.queuedRuns()).isEqualTo(5);
        assertThat(load.behind()).isTrue();
        assertThat(cluster.masterEvents).filteredOn(e -> e.contains("BACKLOG_BEHIND"))
                .singleElement().asString().contains("unserved: ").contains("messages waiting, 0 consumers");
    }
}
