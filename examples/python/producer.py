#!/usr/bin/env python3
"""Submits one task over the broker and waits for the leader's reply (request/reply with reply_to and
correlation_id). Prints the reply JSON; exits 1 if the submission was rejected.

Usage: producer.py TASK_TYPE PAYLOAD_JSON [IDEMPOTENCY_KEY]
"""
import json
import sys
import time
import uuid

import pika

from rota_common import AMQP_URI, name, trace


def main():
    task_type, payload = sys.argv[1], json.loads(sys.argv[2])
    key = sys.argv[3] if len(sys.argv) > 3 else None
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URI))
    ch = connection.channel()
    ch.confirm_delivery()
    reply_queue = ch.queue_declare("", exclusive=True).method.queue
    correlation = str(uuid.uuid4())
    submission = {"version": 1, "taskType": task_type, "payload": payload, "idempotencyKey": key,
                  "maxAttempts": 3, "timeout": "PT60S"}
    ch.basic_publish(name("submit"), "", json.dumps(submission),
                     pika.BasicProperties(content_type="application/json", delivery_mode=2, reply_to=reply_queue,
                                          correlation_id=correlation, message_id=correlation), mandatory=True)
    trace("submission", submission)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        method, props, body = ch.basic_get(reply_queue, auto_ack=True)
        if method and props.correlation_id == correlation:
            reply = json.loads(body)
            trace("reply", reply)
            print(json.dumps(reply), flush=True)
            sys.exit(0 if reply["status"] != "REJECTED" else 1)
        connection.process_data_events(time_limit=0.05)
    sys.exit("no reply within 30 s")


if __name__ == "__main__":
    main()
