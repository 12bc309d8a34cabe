package dev.rota.cli;

import dev.rota.db.BrokerClients.BrokerWorker;
import dev.rota.db.RotaDatabase;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;

/** The workers that joined over the broker alone (any language), as the leader recorded them. */
final class BrokerWorkersTable {
    private BrokerWorkersTable() {
    }

    static void print(DatabaseOptions database, PrintWriter out) {
        List<BrokerWorker> workers;
        // Read only: a status command does not create or migrate the schema.
        dev.rota.db.DatabaseConfig c = database.config(1);
        try (RotaDatabase db = RotaDatabase.builder().url(c.url()).user(c.user()).password(c.password()).schema(c.schema())
                .maxPoolSize(1).connectionTimeout(c.connectionTimeout()).build()) {
            workers = db.brokerClients().workers();
        } catch (RuntimeException e) {
            out.println("broker workers: unknown (PostgreSQL at " + c.url() + ", schema " + c.schema() + ": "
                    + Errors.describe(e) + ")");
            return;
        }
        PagedTable.print(out, workers, "no broker workers", Table.of("BROKER WORKER", "LANGUAGE", "TASK TYPES", "CAPACITY",
                "VERSION", "STATE", "LAST SEEN", "HEARTBEATS WHILE RUNNING"),
                (table, w) -> table.row(w.id(), w.language(), String.join(",", new TreeSet<>(w.taskTypes())),
                        w.capacity(), w.workerVersion(), w.state(),
                        w.lastSeenAt().truncatedTo(ChronoUnit.SECONDS).toString(), w.heartbeatsWhileRunning() ? "yes" : "no"));
    }
}
