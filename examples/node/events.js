'use strict';
// Prints every completion event of the namespace, one JSON line each, from a queue bound to the events
// exchange. ROTA_EVENTS_BINDING narrows it, e.g. 'billing.*.FAILED' (routing key team.taskType.STATE).
const amqp = require('amqplib');
const { AMQP_URI, name } = require('./rota');

async function main() {
  const connection = await amqp.connect(AMQP_URI);
  const channel = await connection.createChannel();
  await channel.checkExchange(name('events')); // declared by the leader
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, name('events'), process.env.ROTA_EVENTS_BINDING || '#');
  await channel.consume(queue, (m) => {
    process.stdout.write(m.content.toString('utf8') + '\n');
    channel.ack(m);
  });
  process.stderr.write(`listening on ${name('events')}\n`);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
