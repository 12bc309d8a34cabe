<?php
// Prints every completion event of the namespace (one JSON line each), from a queue bound to the events
// exchange. ROTA_EVENTS_BINDING narrows it, e.g. 'billing.*.FAILED' (routing key team.taskType.STATE).
declare(strict_types=1);
require __DIR__ . '/rota.php';

use PhpAmqpLib\Message\AMQPMessage;

$connection = rota_connect();
$channel = $connection->channel();
$channel->exchange_declare(rota_name('events'), 'topic', true, true, false); // passive: the leader declares it
[$queue] = $channel->queue_declare('', false, false, true, true);
$channel->queue_bind($queue, rota_name('events'), getenv('ROTA_EVENTS_BINDING') ?: '#');
$channel->basic_consume($queue, '', false, false, false, false, function (AMQPMessage $m) {
    $event = json_decode($m->getBody(), true);
    printf("%s %s run %d: %s\n", $event['type'], $event['data']['state'], $event['data']['runId'], $m->getBody());
    $m->ack();
});
fwrite(STDERR, "listening on " . rota_name('events') . "\n");
while ($channel->is_consuming()) {
    $channel->wait();
}
