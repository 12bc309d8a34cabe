<?php
// A Rota worker in PHP with php-amqplib, joining with the broker alone. PHP runs one handler at a time on one
// thread, so it announces heartbeatsWhileRunning=false: the leader then never declares it silent mid-task and
// relies on broker redelivery (if this process dies, its unacked task goes to another worker) and on the task's
// timeout. Between tasks it heartbeats. Handlers check for a cancel between steps.
// Environment: ROTA_AMQP_URI, ROTA_NAMESPACE, ROTA_WORKER_ID, ROTA_TASK_TYPES (greet,sleep,fail).
declare(strict_types=1);
require __DIR__ . '/rota.php';

use PhpAmqpLib\Channel\AMQPChannel;
use PhpAmqpLib\Exception\AMQPTimeoutException;
use PhpAmqpLib\Message\AMQPMessage;

$workerId = getenv('ROTA_WORKER_ID') ?: 'php-' . gethostname() . '-' . getmypid();
$taskTypes = explode(',', getenv('ROTA_TASK_TYPES') ?: 'greet,sleep,fail');

$connection = rota_connect();
$channel = $connection->channel();

// The settings the leader keeps in rota.<ns>.settings: read, then reject with requeue for the next worker.
$settings = null;
for ($i = 0; $i < 60 && $settings === null; $i++) {
    $m = $channel->basic_get(rota_name('settings'));
    if ($m !== null) {
        $settings = json_decode($m->getBody(), true);
        $m->reject(true);
    } else {
        usleep(500000);
    }
}
if ($settings === null) {
    fwrite(STDERR, "no settings in " . rota_name('settings') . ": is a Rota master running?\n");
    exit(2);
}
$heartbeatEvery = rota_seconds($settings['heartbeatInterval']);

$channel->confirm_select(); // every publish below waits for the broker's confirm
$publish = function (string $queue, array $message, string $kind) use ($channel): void {
    $channel->basic_publish(new AMQPMessage(json_encode($message), [
        'content_type' => 'application/json', 'delivery_mode' => AMQPMessage::DELIVERY_MODE_PERSISTENT,
    ]), '', $queue, true);
    $channel->wait_for_pending_acks_returns(5.0);
    rota_trace($kind, $message);
};
$announce = function (string $type) use ($publish, $workerId, $taskTypes): void {
    $publish(rota_name('workers'), ['version' => 1, 'type' => $type, 'workerId' => $workerId, 'taskTypes' => $taskTypes,
        'capacity' => 1, 'workerVersion' => 'example-1', 'language' => 'php', 'heartbeatsWhileRunning' => false,
        'at' => rota_now()], 'announcement');
};
$result = function (array $task, string $status, ?string $error = null, $value = null) use ($publish, $workerId): void {
    $publish(rota_name('results'), ['version' => 1, 'runId' => $task['runId'], 'attempt' => $task['attempt'],
        'workerId' => $workerId, 'status' => $status, 'at' => rota_now(), 'error' => $error, 'result' => $value], 'result');
};

// Cancels arrive on the control exchange; a second channel polls its queue between handler steps.
$control = $connection->channel();
[$controlQueue] = $control->queue_declare('', false, false, true, true);
$control->queue_bind($controlQueue, rota_name('control'));
$cancelled = function (array $task) use ($control, $controlQueue): bool {
    while (($m = $control->basic_get($controlQueue, true)) !== null) {
        $c = json_decode($m->getBody(), true);
        if (($c['type'] ?? '') === 'CANCEL' && $c['runId'] === $task['runId'] && $c['attempt'] === $task['attempt']) {
            return true;
        }
    }
    return false;
};

$handle = function (array $task) use ($cancelled, $workerId) {
    $payload = $task['payload'];
    switch ($task['taskType']) {
        case 'greet':
            return ['greeting' => 'hello, ' . ($payload['name'] ?? 'world'), 'by' => 'php', 'worker' => $workerId];
        case 'sleep':
            $until = microtime(true) + ($payload['millis'] ?? 1000) / 1000;
            $limit = rota_seconds($task['timeout'] ?? null);
            $deadline = $limit === null ? INF : microtime(true) + $limit;
            while (microtime(true) < $until) {
                if ($cancelled($task)) {
                    throw new DomainException('CANCELLED');
                }
                if (microtime(true) > $deadline) {
                    throw new DomainException('TIMED_OUT');
                }
                usleep(100000);
            }
            return ['slept' => $payload['millis'] ?? 1000];
        default:
            throw new RuntimeException($payload['message'] ?? 'fails on purpose');
    }
};

$announce('ANNOUNCE'); // the leader then declares our task queues, with their arguments
$waitForQueue = function (string $queue) use ($connection): void {
    for ($i = 0; $i < 150; $i++) {
        $probe = $connection->channel();
        try {
            $probe->queue_declare($queue, true); // passive: a missing queue closes the probe channel
            $probe->close();
            return;
        } catch (PhpAmqpLib\Exception\AMQPProtocolChannelException $e) {
            usleep(200000);
        }
    }
    fwrite(STDERR, "$queue was not declared within 30 s: is a Rota master leading?\n");
    exit(2);
};
$channel->basic_qos(0, 1, false); // prefetch 1: one task at a time
foreach ($taskTypes as $type) {
    $waitForQueue(rota_name("task.$type"));
    $channel->basic_consume(rota_name("task.$type"), '', false, false, false, false,
        function (AMQPMessage $m) use ($handle, $result) {
            $task = json_decode($m->getBody(), true);
            if (!is_array($task) || ($task['version'] ?? null) !== 1) {
                $m->reject(false); // unreadable: dead-lettered, and the leader ends the run
                return;
            }
            $result($task, 'STARTED');
            try {
                $result($task, 'SUCCEEDED', null, $handle($task));
                $status = 'SUCCEEDED';
            } catch (DomainException $e) {
                $status = $e->getMessage();
                $result($task, $status, strtolower($status));
            } catch (Throwable $e) {
                $status = 'FAILED';
                $result($task, $status, get_class($e) . ': ' . $e->getMessage());
            }
            $m->ack(); // only after the final result was confirmed
            printf("ran run %d attempt %d -> %s\n", $task['runId'], $task['attempt'], $status);
        });
}
printf("worker %s consuming %s\n", $workerId, implode(',', $taskTypes));
pcntl_async_signals(true);
$running = true;
foreach ([SIGTERM, SIGINT] as $signal) {
    if (function_exists('pcntl_signal')) {
        pcntl_signal($signal, function () use (&$running) { $running = false; });
    }
}
while ($running) {
    try {
        $channel->wait(null, false, $heartbeatEvery);
    } catch (AMQPTimeoutException $e) {
        // no task within a heartbeat interval
    }
    $announce('HEARTBEAT');
}
$announce('LEAVE');
$connection->close();
