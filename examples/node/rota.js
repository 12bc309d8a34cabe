'use strict';
// Helpers shared by the Node examples: configuration, names, durations, tracing.
const fs = require('fs');

const AMQP_URI = process.env.ROTA_AMQP_URI || 'amqp://guest:guest@127.0.0.1:5672/%2F';
const NAMESPACE = process.env.ROTA_NAMESPACE || 'default';

/** A RabbitMQ name of the namespace: name('results') is rota.<ns>.results. */
const name = (suffix) => `rota.${NAMESPACE}.${suffix}`;

/** ISO-8601 duration as Rota writes it (PT30S, PT1M30S, PT0.5S) to milliseconds. */
function millis(iso) {
  if (iso == null) return null;
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!m) throw new Error(`unsupported duration ${iso}`);
  return ((+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + parseFloat(m[3] || '0')) * 1000;
}

/** Appends a message this client sent to ROTA_TRACE_FILE, for the contract tests. */
function trace(kind, body) {
  if (process.env.ROTA_TRACE_FILE) {
    fs.appendFileSync(process.env.ROTA_TRACE_FILE, JSON.stringify({ kind, body }) + '\n');
  }
}

module.exports = { AMQP_URI, NAMESPACE, name, millis, trace };
