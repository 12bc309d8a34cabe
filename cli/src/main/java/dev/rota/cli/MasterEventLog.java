package dev.rota.cli;

import dev.rota.master.MasterEvent;
import dev.rota.master.MasterListener;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an operator of a master wants to see (leadership, schedule changes, finished runs, workers)
 * at INFO, and problems at WARN; per-message events (publish confirms, applied results) only at DEBUG.
 * Runs on the master's threads; logging does not block for long.
 */
final class MasterEventLog implements MasterListener {
    private static final Logger log = LoggerFactory.getLogger("dev.rota.cli.master");
    private static final Set<MasterEvent> WARNINGS = EnumSet.of(MasterEvent.JOB_INVALID, MasterEvent.FENCED,
            MasterEvent.TASK_PUBLISH_FAILED, MasterEvent.RESULT_MALFORMED, MasterEvent.RESULT_FORGED);
    private static final Set<MasterEvent> CHATTER = EnumSet.of(MasterEvent.TASK_PUBLISHED,
            MasterEvent.RESULT_APPLIED, MasterEvent.RESULT_STALE, MasterEvent.FIRE_DUPLICATE, MasterEvent.RUN_STARTED,
            MasterEvent.DISPATCH_BATCH, MasterEvent.RESULT_BATCH);

    private final String masterId;

    MasterEventLog(String masterId) {
        this.masterId = masterId;
    }

    @Override
    public void on(MasterEvent event, String detail) {
        if (WARNINGS.contains(event)) {
            log.warn("{} {}: {}", masterId, event, detail);
        } else if (CHATTER.contains(event)) {
            log.debug("{} {}: {}", masterId, event, detail);
        } else {
            log.info("{} {}: {}", masterId, event, detail);
        }
    }
}
