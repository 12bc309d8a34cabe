#!/usr/bin/env python3
"""A Rota worker in Python (Debian's python3-pika), joining with the broker alone.

It reads the settings the leader keeps in rota.<ns>.settings, announces itself on rota.<ns>.workers, declares
its task queues passively (the leader declared them), consumes with prefetch = capacity and manual acks, runs
each handler on a thread while the main loop keeps heartbeating and listens for cancels, publishes each result
with publisher confirms, and acks the task only after the final result is confirmed.

Environment: ROTA_AMQP_URI, ROTA_NAMESPACE, ROTA_WORKER_ID, ROTA_TASK_TYPES (greet,sleep,fail), ROTA_CAPACITY.
"""
import json
import os
import socket
import sys
import threading
import time

import pika

from rota_common import AMQP_URI, name, now, seconds, trace

WORKER_ID = os.environ.get("ROTA_WORKER_ID", "python-%s-%d" % (socket.gethostname(), os.getpid()))
TASK_TYPES = os.environ.get("ROTA_TASK_TYPES", "greet,sleep,fail").split(",")
CAPACITY = int(os.environ.get("ROTA_CAPACITY", "1"))


class Cancelled(Exception):
    pass


def handle(task, cancel, log):
    """The handlers: return a JSON-able result, or raise to fail the attempt. log(line) adds to the attempt's log."""
    payload = task["payload"]
    if task["taskType"] == "greet":
        log("greeting %s" % payload.get("name", "world"))
        return {"greeting": "hello, %s" % payload.get("name", "world"), "by": "python", "worker": WORKER_ID}
    if task["taskType"] == "sleep":
        if cancel.wait(payload.get("millis", 1000) / 1000.0):
            raise Cancelled()
        return {"slept": payload.get("millis", 1000)}
    raise RuntimeError(payload.get("message", "fails on purpose"))


class Running:
    """One task on its handler thread."""

    def __init__(self, tag, task):
        self.tag, self.task = tag, task
        self.cancel = threading.Event()
        self.cancel_reason = None
        self.outcome = None
        self.lines = []
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def log(self, line):
        """One line of the attempt's log, sent with the final result; the leader keeps at most 64 KiB."""
        self.lines.append("%s %s" % (now(), line))

    def log_text(self):
        return "".join(line + "\n" for line in self.lines) or None

    def _run(self):
        try:
            self.outcome = ("SUCCEEDED", None, handle(self.task, self.cancel, self.log))
        except Cancelled:
            self.outcome = (self.cancel_reason or "CANCELLED", "cancelled", None)
        except Exception as e:  # the handler's failure is the attempt's outcome
            self.outcome = ("FAILED", "%s: %s" % (type(e).__name__, e), None)


def read_settings(connection, wait_seconds=30):
    """The latest settings: basic.get, then reject with requeue so they stay for the next worker."""
    deadline = time.monotonic() + wait_seconds
    while True:
        ch = connection.channel()
        try:
            method, _props, body = ch.basic_get(name("settings"), auto_ack=False)
            if method:
                ch.basic_reject(method.delivery_tag, requeue=True)
                ch.close()
                return json.loads(body)
        except pika.exceptions.ChannelClosedByBroker:
            pass  # the leader has not declared it yet
        if time.monotonic() > deadline:
            sys.exit("no settings in %s after %d s: is a Rota master running?" % (name("settings"), wait_seconds))
        time.sleep(0.5)


def wait_for_queue(connection, queue, wait_seconds=30):
    """Declares passively until the leader has declared the queue (it does on our ANNOUNCE)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        probe = connection.channel()
        try:
            probe.queue_declare(queue, passive=True)
            probe.close()
            return
        except pika.exceptions.ChannelClosedByBroker:
            if time.monotonic() > deadline:
                sys.exit("%s was not declared within %d s: is a Rota master leading?" % (queue, wait_seconds))
            connection.sleep(0.2)


def main():
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URI))
    settings = read_settings(connection)
    interval = seconds(settings["heartbeatInterval"])
    ch = connection.channel()
    ch.confirm_delivery()  # basic_publish now waits for the broker's confirm and raises on nack or unroutable

    def publish(routing_key, message, kind):
        ch.basic_publish("", routing_key, json.dumps(message),
                         pika.BasicProperties(content_type="application/json", delivery_mode=2), mandatory=True)
        trace(kind, message)

    def announce(kind):
        publish(name("workers"), {"version": 1, "type": kind, "workerId": WORKER_ID, "taskTypes": TASK_TYPES,
                                  "capacity": CAPACITY, "workerVersion": "example-1", "language": "python",
                                  "heartbeatsWhileRunning": True, "at": now()}, "announcement")

    def result(task, status, error=None, value=None, log=None):
        message = {"version": 1, "runId": task["runId"], "attempt": task["attempt"], "workerId": WORKER_ID,
                   "status": status, "at": now(), "error": error, "result": value}
        if log:
            message["log"] = log  # optional, on a final result
        publish(name("results"), message, "result")

    arrived, running = [], {}

    def on_task(_ch, method, _props, body):
        arrived.append((method.delivery_tag, body))

    def on_control(_ch, _method, _props, body):
        msg = json.loads(body)
        for r in running.values():
            if msg.get("type") == "CANCEL" and (r.task["runId"], r.task["attempt"]) == (msg["runId"], msg["attempt"]):
                r.cancel_reason = "CANCELLED"
                r.cancel.set()

    ch.basic_qos(prefetch_count=CAPACITY)
    control = ch.queue_declare("", exclusive=True).method.queue
    ch.queue_bind(control, name("control"))
    ch.basic_consume(control, on_control, auto_ack=True)
    announce("ANNOUNCE")  # the leader then declares our task queues, with their arguments
    for t in TASK_TYPES:
        wait_for_queue(connection, name("task." + t))
        ch.basic_consume(name("task." + t), on_task)
    print("worker %s consuming %s" % (WORKER_ID, ",".join(TASK_TYPES)), flush=True)
    last_beat = time.monotonic()
    try:
        while True:
            connection.process_data_events(time_limit=0.05)
            while arrived:
                tag, body = arrived.pop(0)
                try:
                    task = json.loads(body)
                    assert task["version"] == 1
                except Exception:
                    ch.basic_reject(tag, requeue=False)  # unreadable: dead-lettered, the leader ends the run
                    continue
                result(task, "STARTED")
                running[tag] = Running(tag, task)
            for tag, r in list(running.items()):
                limit = seconds(r.task.get("timeout"))
                if limit is not None and not r.cancel.is_set() and time.monotonic() - r.started > limit:
                    r.cancel_reason = "TIMED_OUT"
                    r.cancel.set()
                if r.outcome is not None:
                    status, error, value = r.outcome
                    result(r.task, status, error, value, r.log_text())  # confirmed before the ack below
                    ch.basic_ack(tag)
                    del running[tag]
                    print("ran run %d attempt %d -> %s" % (r.task["runId"], r.task["attempt"], status), flush=True)
            if time.monotonic() - last_beat >= interval:
                announce("HEARTBEAT")
                for r in running.values():
                    result(r.task, "HEARTBEAT")
                last_beat = time.monotonic()
    except KeyboardInterrupt:
        announce("LEAVE")
        connection.close()


if __name__ == "__main__":
    main()
