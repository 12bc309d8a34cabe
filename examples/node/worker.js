'use strict';
// A Rota worker in Node.js with amqplib, joining with the broker alone: reads the settings the leader keeps,
// announces itself, heartbeats (also while handlers run: they are asynchronous), declares its task queues
// passively, consumes with prefetch = capacity and manual acks, publishes results on a confirm channel, and
// acks a task only after its final result is confirmed. Cancels from the control exchange abort the handler.
// Environment: ROTA_AMQP_URI, ROTA_NAMESPACE, ROTA_WORKER_ID, ROTA_TASK_TYPES (greet,sleep,fail), ROTA_CAPACITY.
const amqp = require('amqplib');
const os = require('os');
const { AMQP_URI, name, millis, trace } = require('./rota');

const WORKER_ID = process.env.ROTA_WORKER_ID || `node-${os.hostname()}-${process.pid}`;
const TASK_TYPES = (process.env.ROTA_TASK_TYPES || 'greet,sleep,fail').split(',');
const CAPACITY = parseInt(process.env.ROTA_CAPACITY || '4', 10);

const handlers = {
  greet: async (payload) => ({ greeting: `hello, ${payload.name || 'world'}`, by: 'node', worker: WORKER_ID }),
  sleep: (payload, signal) => new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve({ slept: payload.millis || 1000 }), payload.millis || 1000);
    signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); });
  }),
  fail: async (payload) => { throw new Error(payload.message || 'fails on purpose'); },
};

async function readSettings(connection) {
  for (let i = 0; i < 60; i++) {
    const ch = await connection.createChannel();
    ch.on('error', () => {}); // a missing queue closes the channel: the leader has not declared it yet
    try {
      const m = await ch.get(name('settings'), { noAck: false });
      if (m) { ch.reject(m, true); await ch.close(); return JSON.parse(m.content.toString('utf8')); }
      await ch.close();
    } catch (e) { /* retry */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no settings in ${name('settings')}: is a Rota master running?`);
}

async function waitForQueue(connection, queue) {
  for (let i = 0; i < 150; i++) {
    const probe = await connection.createChannel();
    probe.on('error', () => {}); // a missing queue closes the probe channel
    try { await probe.checkQueue(queue); await probe.close(); return; } catch (e) { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${queue} was not declared within 30 s: is a Rota master leading?`);
}

async function main() {
  const connection = await amqp.connect(AMQP_URI);
  const settings = await readSettings(connection);
  const channel = await connection.createConfirmChannel();
  const publish = async (queue, message, kind) => {
    channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { contentType: 'application/json', persistent: true });
    await channel.waitForConfirms();
    trace(kind, message);
  };
  const announce = (type) => publish(name('workers'), {
    version: 1, type, workerId: WORKER_ID, taskTypes: TASK_TYPES, capacity: CAPACITY, workerVersion: 'example-1',
    language: 'node', heartbeatsWhileRunning: true, at: new Date().toISOString(),
  }, 'announcement');
  const result = (task, status, error = null, value = null) => publish(name('results'), {
    version: 1, runId: task.runId, attempt: task.attempt, workerId: WORKER_ID, status, at: new Date().toISOString(),
    error, result: value,
  }, 'result');

  const running = new Map(); // "runId:attempt" -> { task, abort }
  const control = await connection.createChannel();
  const { queue: controlQueue } = await control.assertQueue('', { exclusive: true, autoDelete: true });
  await control.bindQueue(controlQueue, name('control'), '');
  await control.consume(controlQueue, (m) => {
    const c = JSON.parse(m.content.toString('utf8'));
    const r = running.get(`${c.runId}:${c.attempt}`);
    if (c.type === 'CANCEL' && r) r.abort.abort('CANCELLED');
  }, { noAck: true });

  await announce('ANNOUNCE'); // the leader then declares our task queues, with their arguments
  await channel.prefetch(CAPACITY);
  for (const type of TASK_TYPES) {
    await waitForQueue(connection, name(`task.${type}`));
    await channel.consume(name(`task.${type}`), async (m) => {
      let task;
      try { task = JSON.parse(m.content.toString('utf8')); if (task.version !== 1) throw new Error(); } catch (e) {
        channel.reject(m, false); // unreadable: dead-lettered, and the leader ends the run
        return;
      }
      const key = `${task.runId}:${task.attempt}`;
      const abort = new AbortController();
      running.set(key, { task, abort });
      const limit = millis(task.timeout);
      const timer = limit == null ? null : setTimeout(() => abort.abort('TIMED_OUT'), limit);
      await result(task, 'STARTED');
      let status;
      try {
        const value = await (handlers[task.taskType] || handlers.fail)(task.payload, abort.signal);
        status = 'SUCCEEDED';
        await result(task, status, null, value);
      } catch (e) {
        status = abort.signal.aborted ? abort.signal.reason : 'FAILED';
        await result(task, status, status === 'FAILED' ? `${e.name}: ${e.message}` : String(status).toLowerCase());
      } finally {
        if (timer) clearTimeout(timer);
        running.delete(key);
      }
      channel.ack(m); // only after the final result was confirmed
      console.log(`ran run ${task.runId} attempt ${task.attempt} -> ${status}`);
    });
  }
  console.log(`worker ${WORKER_ID} consuming ${TASK_TYPES.join(',')}`);
  setInterval(async () => {
    await announce('HEARTBEAT');
    for (const { task } of running.values()) await result(task, 'HEARTBEAT');
  }, millis(settings.heartbeatInterval));
  const stop = async () => { await announce('LEAVE'); await connection.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
