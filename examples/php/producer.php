<?php
// Submits one task over the broker and waits for the leader's reply (reply_to + correlation_id).
// Prints the reply; exits 1 when the submission is rejected.
// Usage: php producer.php TASK_TYPE PAYLOAD_JSON [IDEMPOTENCY_KEY] [DELAY e.g. PT10S]
declare(strict_types=1);
require __DIR__ . '/rota.php';

use PhpAmqpLib\Message\AMQPMessage;

[$taskType, $payload] = [$argv[1], json_decode($argv[2], true, 512, JSON_THROW_ON_ERROR)];
$submission = ['version' => 1, 'taskType' => $taskType, 'payload' => $payload, 'maxAttempts' => 3, 'timeout' => 'PT60S'];
if (isset($argv[3]) && $argv[3] !== '') {
    $submission['idempotencyKey'] = $argv[3];
}
if (isset($argv[4])) {
    $submission['delay'] = $argv[4];
}

$connection = rota_connect();
$channel = $connection->channel();
$channel->confirm_select();
[$replyQueue] = $channel->queue_declare('', false, false, true, true);
$correlationId = bin2hex(random_bytes(16));
$reply = null;
$channel->basic_consume($replyQueue, '', false, true, false, false, function (AMQPMessage $m) use (&$reply, $correlationId) {
    if ($m->get('correlation_id') === $correlationId) {
        $reply = json_decode($m->getBody(), true);
    }
});
$channel->basic_publish(new AMQPMessage(json_encode($submission), [
    'content_type' => 'application/json',
    'delivery_mode' => AMQPMessage::DELIVERY_MODE_PERSISTENT,
    'reply_to' => $replyQueue,
    'correlation_id' => $correlationId,
    'message_id' => $correlationId, // a redelivered submission is then not recorded twice
]), rota_name('submit'));
$channel->wait_for_pending_acks(5.0);
rota_trace('submission', $submission);

$deadline = microtime(true) + 30;
while ($reply === null && microtime(true) < $deadline) {
    $channel->wait(null, false, 1.0);
}
if ($reply === null) {
    fwrite(STDERR, "no reply within 30 s: is a Rota master running?\n");
    exit(2);
}
rota_trace('reply', $reply);
echo json_encode($reply), "\n";
$channel->close();
$connection->close();
exit($reply['status'] === 'REJECTED' ? 1 : 0);
