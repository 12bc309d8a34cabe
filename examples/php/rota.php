<?php
// Helpers shared by the PHP examples: configuration, connection, times, tracing.
// php-amqplib comes from Debian's php-amqplib package (or Composer's php-amqplib/php-amqplib).
declare(strict_types=1);

$autoload = getenv('PHP_AMQPLIB_AUTOLOAD') ?: '/usr/share/php/PhpAmqpLib/autoload.php';
require_once is_file($autoload) ? $autoload : __DIR__ . '/vendor/autoload.php';

use PhpAmqpLib\Connection\AMQPStreamConnection;

function rota_namespace(): string
{
    return getenv('ROTA_NAMESPACE') ?: 'default';
}

/** A RabbitMQ name of the namespace: rota_name('results') is rota.<ns>.results. */
function rota_name(string $suffix): string
{
    return 'rota.' . rota_namespace() . '.' . $suffix;
}

function rota_connect(): AMQPStreamConnection
{
    $uri = parse_url(getenv('ROTA_AMQP_URI') ?: 'amqp://guest:guest@127.0.0.1:5672/%2F');
    $vhost = isset($uri['path']) && strlen($uri['path']) > 1 ? urldecode(substr($uri['path'], 1)) : '/';
    return new AMQPStreamConnection($uri['host'], $uri['port'] ?? 5672, urldecode($uri['user'] ?? 'guest'),
        urldecode($uri['pass'] ?? 'guest'), $vhost);
}

function rota_now(): string
{
    return (new DateTimeImmutable('now', new DateTimeZone('UTC')))->format('Y-m-d\TH:i:s.v\Z');
}

/** ISO-8601 duration as Rota writes it (PT30S, PT1M30S, PT0.5S) to seconds. */
function rota_seconds(?string $iso): ?float
{
    if ($iso === null) {
        return null;
    }
    if (!preg_match('/^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/', $iso, $m)) {
        throw new InvalidArgumentException("unsupported duration $iso");
    }
    return (int)($m[1] ?? 0) * 3600 + (int)($m[2] ?? 0) * 60 + (float)($m[3] ?? 0);
}

/** Appends a message this client sent to ROTA_TRACE_FILE, for the contract tests. */
function rota_trace(string $kind, array $body): void
{
    $file = getenv('ROTA_TRACE_FILE');
    if ($file) {
        file_put_contents($file, json_encode(['kind' => $kind, 'body' => $body]) . "\n", FILE_APPEND | LOCK_EX);
    }
}
