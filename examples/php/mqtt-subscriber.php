<?php
// Prints every completion event that reaches MQTT (published there by `rota mqtt-bridge`), using
// mosquitto_sub (Debian's mosquitto-clients) at QoS 1. Topic: rota/<ns>/<team>/<taskType>/<state>.
// Usage: php mqtt-subscriber.php [TOPIC_FILTER]   (default rota/<ns>/#)
declare(strict_types=1);
require __DIR__ . '/rota.php';

$host = getenv('ROTA_MQTT_HOST') ?: '127.0.0.1';
$port = getenv('ROTA_MQTT_PORT') ?: '1883';
$filter = $argv[1] ?? 'rota/' . rota_namespace() . '/#';
$cmd = sprintf('mosquitto_sub -h %s -p %s -q 1 -v -t %s', escapeshellarg($host), escapeshellarg($port),
    escapeshellarg($filter));
$sub = popen($cmd, 'r');
if ($sub === false) {
    fwrite(STDERR, "cannot run mosquitto_sub\n");
    exit(2);
}
fwrite(STDERR, "subscribed to $filter\n");
while (($line = fgets($sub)) !== false) {
    [$topic, $json] = explode(' ', rtrim($line, "\n"), 2);
    $event = json_decode($json, true);
    printf("%s run %d %s: %s\n", $topic, $event['data']['runId'], $event['data']['state'], $json);
}
