package dev.rota.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The overview's aggregates over the run table: queue depth, worker load, fires and lateness per minute. */
class ClusterLoadQueriesTest extends DatabaseTest {

    private void insert(String team, String taskType, String state, String scheduledAt, String dueAt, String startedAt,
            String worker, String heartbeatAt) {
        sql("INSERT INTO run (team, task_type, state, scheduled_at, due_at, started_at, worker_id, heartbeat_at)"
                + " VALUES (?, ?, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?, ?::timestamptz)",
                team, taskType, state, scheduledAt, dueAt, startedAt, worker, heartbeatAt);
    }

    @Test
    void queueDepthCountsDueQueuedAndRunningPerTaskTypeAndLeavesFutureAndFinishedRunsOut() {
        String past = Instant.now().minusSeconds(60).toString();
        String future = Instant.now().plusSeconds(3600).toString();
        insert("default", "report", "SCHEDULED", past, past, null, null, null);
        insert("default", "report", "SCHEDULED", future, future, null, null, null);
        insert("default", "report", "QUEUED", past, past, null, null, null);
        insert("default", "report", "QUEUED", past, past, null, null, null);
        insert("default", "report", "RUNNING", past, past, past, "w1", past);
        insert("default", "report", "SUCCEEDED", past, past, past, "w1", null);
        insert("beta", "mail", "RUNNING", past, past, past, "w2", past);

        assertThat(db.admin().queueDepths(null)).containsExactly(
                new ClusterLoad.QueueDepth("mail", 0, 0, 1),
                new ClusterLoad.QueueDepth("report", 1, 2, 1));
        assertThat(db.admin().queueDepths(Set.of("beta"))).containsExactly(new ClusterLoad.QueueDepth("mail", 0, 0, 1));
    }

    @Test
    void workerLoadCountsRunningRunsAndTheirLatestHeartbeat() {
        String past = Instant.now().minusSeconds(60).toString();
        Instant early = Instant.parse("2026-11-29T08:00:00Z");
        Instant late = Instant.parse("2026-11-29T08:00:05Z");
        insert("default", "report", "RUNNING", past, past, past, "w1", early.toString());
        insert("default", "report", "RUNNING", past, past, past, "w1", late.toString());
        insert("default", "report", "SUCCEEDED", past, past, past, "w2", late.toString());

        assertThat(db.admin().workerLoads()).containsExactly(new ClusterLoad.WorkerLoad("w1", 2, late));
    }

    @Test
    void firesPerMinuteWithTheirLatenessPercentilesWithinTheWindowOnly() {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
        for (int late : new int[] {100, 200, 300}) {
            insert("default", "report", "SUCCEEDED", minute.plusSeconds(1).toString(), null,
                    minute.plusSeconds(1).plusMillis(late).toString(), "w1", null);
        }
        insert("default", "report", "QUEUED", minute.plusSeconds(2).toString(), null, null, null, null);
        insert("default", "report", "SUCCEEDED", minute.plusSeconds(61).toString(), null,
                minute.plusSeconds(62).toString(), "w1", null);
        insert("default", "report", "SUCCEEDED", minute.minusSeconds(1).toString(), null,
                minute.toString(), "w1", null);

        List<ClusterLoad.FireBucket> buckets = db.admin().fireBuckets(null, minute, minute.plus(5, ChronoUnit.MINUTES));

        assertThat(buckets).hasSize(2);
        ClusterLoad.FireBucket first = buckets.get(0);
        assertThat(first.minute()).isEqualTo(minute);
        assertThat(first.fires()).isEqualTo(4);
        assertThat(first.started()).isEqualTo(3);
        assertThat(first.p50LatenessMs()).isEqualTo(200.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(first.p99LatenessMs()).isEqualTo(298.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(buckets.get(1)).isEqualTo(new ClusterLoad.FireBucket(minute.plusSeconds(60), 1, 1, 1000.0, 1000.0));
        assertThat(db.admin().fireBuckets(Set.of("beta"), minute, minute.plus(5, ChronoUnit.MINUTES))).isEmpty();
    }
}
