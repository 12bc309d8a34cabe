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
        try (RotaDatabase db = database.open()) {
            workers = db.brokerClients().workers();
        } catch (RuntimeException e) {
            out.println("broker workers: unknown (" + e.getMessage() + ")");
            return;
        }
        if (workers.isEmpty()) {
            out.println("no broker workers");
            return;
        }
        Table table = Table.of("BROKER WORKER", "LANGUAGE", "TASK TYPES", "CAPACITY", "VERSION", "STATE", "LAST SEEN",
                "HEARTBEATS WHILE RUNNING");
        for (BrokerWorker w : workers) {
            table.row(w.id(), w.language(), String.join(",", new TreeSet<>(w.taskTypes())), w.capacity(),
                    w.workerVersion(), w.state(), w.lastSeenAt().truncatedTo(ChronoUnit.SECONDS).toString(),
                    w.heartbeatsWhileRunning() ? "yes" : "no");
        }
        table.print(out);
    }
}
