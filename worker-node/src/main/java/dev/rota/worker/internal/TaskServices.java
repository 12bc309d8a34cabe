package dev.rota.worker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rota.model.MessageCodec;
import dev.rota.model.ResultMessage;
import dev.rota.model.ResultStatus;
import dev.rota.model.TaskMessage;
import java.time.Clock;

/** What every step of task processing shares: who we are, the time, the codec, events and results. */
record TaskServices(String workerId, Clock clock, MessageCodec codec, EventSink events, ResultPublisher results) {

    ResultMessage result(TaskMessage task, ResultStatus status, String error, JsonNode value) {
        return ResultMessage.of(task, workerId, status, clock.instant(), error, value);
    }
}
