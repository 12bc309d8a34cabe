package dev.rota.worker.internal;

import dev.rota.model.ControlMessage;
import dev.rota.model.MalformedMessageException;
import dev.rota.model.MessageCodec;
import dev.rota.worker.WorkerEvent;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on control messages. Runs on the RabbitMQ client's thread, which is fine because acting is only
 * setting a flag and interrupting a thread; it never waits for the handler to stop.
 */
final class ControlHandler implements Consumer<byte[]> {
    private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);

    private final MessageCodec codec;
    private final RunningTasks running;
    private final EventSink events;

    ControlHandler(MessageCodec codec, RunningTasks running, EventSink events) {
        this.codec = codec;
        this.running = running;
        this.events = events;
    }

    @Override
    public void accept(byte[] body) {
        ControlMessage message;
        try {
            message = codec.decodeControl(body);
        } catch (MalformedMessageException e) {
            log.warn("ignoring a malformed control message: {}", e.getMessage());
            events.emit(WorkerEvent.CONTROL_MALFORMED, null, e.getMessage());
            return;
        }
        switch (message.type()) {
            case CANCEL -> cancel(message);
        }
    }

    private void cancel(ControlMessage message) {
        int stopped = running.cancel(message.runId(), message.attempt());
        if (stopped > 0) {
            log.info("cancelling run {}:{} on request", message.runId(), message.attempt());
        } else {
            log.debug("cancel of run {}:{} ignored: not running here", message.runId(), message.attempt());
        }
    }
}
