"""Helpers shared by the Python examples: configuration from the environment, times, tracing."""
import datetime
import json
import os
import re

AMQP_URI = os.environ.get("ROTA_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/%2F")
NAMESPACE = os.environ.get("ROTA_NAMESPACE", "default")
TRACE_FILE = os.environ.get("ROTA_TRACE_FILE")


def name(suffix):
    """A RabbitMQ name of the namespace, e.g. name('results') -> rota.<ns>.results."""
    return "rota.%s.%s" % (NAMESPACE, suffix)


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def trace(kind, body):
    """Appends a message this client sent to ROTA_TRACE_FILE, for the contract tests."""
    if TRACE_FILE:
        with open(TRACE_FILE, "a") as f:
            f.write(json.dumps({"kind": kind, "body": body}) + "\n")


_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def seconds(iso_duration):
    """ISO-8601 duration as Rota writes it (PT30S, PT1M30S, PT0.5S) to seconds; None stays None."""
    if iso_duration is None:
        return None
    m = _DURATION.match(iso_duration)
    if not m:
        raise ValueError("unsupported duration " + iso_duration)
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(s or 0)
