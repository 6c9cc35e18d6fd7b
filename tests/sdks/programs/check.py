#!/usr/bin/python3
"""What tests/sdks/sdks.test.ts runs of the Python SDK against a real stack.

  check.py tail   Opens a tail through HYRELOG_PROXY_ADDRESS (a proxy that cuts the connection once,
                  right after the first event), ingests an event and sees it arrive, ingests another
                  and sees it after the tail's own reconnect, closes it, ingests a third, and resumes
                  a new tail from the last token: it must bring the third and nothing before it;
                  a tail from a token that is no token fails at once (INVALID_ARGUMENT), one
                  against HYRELOG_SILENT_ADDRESS (never answers) after its attempts' timeouts.
  check.py retry  Ingests one event through HYRELOG_PROXY_ADDRESS, a proxy that loses the first
                  answer after the server stored the event; the client's retry must find it.

Prints one line per step ("tailed <id> <token>", ...); exits non-zero on any failure.
"""

import os
import sys
import threading

from hyrelog import Client, HyreLogError
from hyrelog.api.v1 import events_pb2
from hyrelog.common.v1 import common_pb2

ACTION = os.environ["HYRELOG_ACTION"]
KEY = os.environ["HYRELOG_WORKSPACE_KEY"]


def event(i: int) -> events_pb2.EventInput:
    return events_pb2.EventInput(
        category="sdk", action=ACTION, project_id=os.environ["HYRELOG_PROJECT_ID"],
        actor=common_pb2.Actor(id="svc-check", type="service"), target=common_pb2.Target(id=f"doc-{i}", type="document"),
    )


def ingest(client: Client, i: int) -> str:
    res = client.ingest([event(i)])
    print(f"ingested {res.results[0].id}", flush=True)
    return res.results[0].id


def expect(what: str, got: str, want: str) -> None:
    if got != want:
        raise SystemExit(f"{what}: got {got}, expected {want}")


def deadline(t) -> None:
    """Closes a tail that waits longer than 30 s for an event: the run then fails instead of hanging."""
    timer = threading.Timer(30, t.close)
    timer.daemon = True
    timer.start()


def tail() -> None:
    f = events_pb2.EventFilter(action=ACTION)
    with Client(os.environ["HYRELOG_ADDRESS"], KEY) as direct, \
            Client(os.environ["HYRELOG_PROXY_ADDRESS"], KEY, backoff=0.05) as proxied:
        with proxied.tail(f) as t:
            deadline(t)
            print(f"open {t.resume_token}", flush=True)
            first = ingest(direct, 0)
            got = next(t)
            print(f"tailed {got.event.id} {got.resume_token}", flush=True)
            expect("first tailed event", got.event.id, first)
            second = ingest(direct, 1)
            got = next(t)
            print(f"tailed {got.event.id} {got.resume_token}", flush=True)
            expect("tailed after the reconnect", got.event.id, second)
            token = t.resume_token
        third = ingest(direct, 2)
        with direct.tail(f, resume_token=token) as resumed:
            deadline(resumed)
            got = next(resumed)
            print(f"resumed {got.event.id} {got.resume_token}", flush=True)
            expect("resumed", got.event.id, third)
        # A failure that is no passing condition is raised, not retried.
        try:
            direct.tail(f, resume_token="not-a-token")
            raise SystemExit("a tail from a token that is no token was opened")
        except HyreLogError as err:
            print(f"refused {err.code.name}", flush=True)
    # A gateway that takes the connection and never answers: each opening gets `timeout`, then the
    # tail gives up with DEADLINE_EXCEEDED after max_attempts.
    with Client(os.environ["HYRELOG_SILENT_ADDRESS"], KEY, timeout=0.5, max_attempts=2, backoff=0.05) as silent:
        try:
            silent.tail(f)
            raise SystemExit("a tail opened against a server that never answers")
        except HyreLogError as err:
            print(f"timed out {err.code.name}", flush=True)


def retry() -> None:
    with Client(os.environ["HYRELOG_PROXY_ADDRESS"], KEY, backoff=0.1, max_attempts=6) as proxied:
        res = proxied.ingest([event(0)])
        r = res.results[0]
        print(f"ingested {r.id} duplicate={str(r.duplicate).lower()}", flush=True)


if __name__ == "__main__":
    try:
        {"tail": tail, "retry": retry}[sys.argv[1]]()
    except HyreLogError as err:
        print(f"error: {err} {err.violations}", file=sys.stderr)
        sys.exit(1)
    except StopIteration:
        print("error: the tail ended (or timed out) before the event came", file=sys.stderr)
        sys.exit(1)
    print("ok")
