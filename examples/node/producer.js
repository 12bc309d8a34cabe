'use strict';
// Submits one task over the broker and waits for the leader's reply (reply_to + correlation_id).
// Usage: node producer.js TASK_TYPE PAYLOAD_JSON [IDEMPOTENCY_KEY]
const amqp = require('amqplib');
const crypto = require('crypto');
const { AMQP_URI, name, trace } = require('./rota');

async function main() {
  const [taskType, payload, key] = [process.argv[2], JSON.parse(process.argv[3]), process.argv[4]];
  const connection = await amqp.connect(AMQP_URI);
  const channel = await connection.createConfirmChannel();
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  const correlationId = crypto.randomUUID();
  const reply = new Promise((resolve) => {
    channel.consume(queue, (m) => {
      if (m.properties.correlationId === correlationId) resolve(JSON.parse(m.content.toString('utf8')));
    }, { noAck: true });
  });
  const submission = { version: 1, taskType, payload, idempotencyKey: key || null, maxAttempts: 3, timeout: 'PT60S' };
  channel.publish(name('submit'), '', Buffer.from(JSON.stringify(submission)), {
    contentType: 'application/json', persistent: true, replyTo: queue, correlationId, messageId: correlationId,
  });
  await channel.waitForConfirms();
  trace('submission', submission);
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('no reply within 30 s')), 30000));
  const answer = await Promise.race([reply, timeout]);
  trace('reply', answer);
  console.log(JSON.stringify(answer));
  await connection.close();
  process.exit(answer.status === 'REJECTED' ? 1 : 0);
}

main().catch((e) => { console.error(e.message); process.exit(2); });
