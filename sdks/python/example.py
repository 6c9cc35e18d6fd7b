#!/usr/bin/python3
"""Ingests a batch of events, lists them back, fetches an inclusion proof for one, counts them by
action for the day, and lists the archives.

  HYRELOG_ADDRESS=127.0.0.1:8080 HYRELOG_WORKSPACE_KEY=hlk_ws_... HYRELOG_PROJECT_ID=... \
    PYTHONPATH=sdks/python /usr/bin/python3 sdks/python/example.py

Prints what it did; exits non-zero on any failure.
"""

import os
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import grpc

from hyrelog import Client, HyreLogError
from hyrelog.api.v1 import events_pb2
from hyrelog.common.v1 import common_pb2


def main() -> int:
    address = os.environ.get("HYRELOG_ADDRESS") or os.environ["HYRELOG_URL"]
    project_id = os.environ["HYRELOG_PROJECT_ID"]
    action = f"sdk.python.{uuid.uuid4().hex[:8]}"
    # Sent with the events, so the day counted below is theirs even just before midnight UTC.
    occurred_at = datetime.now(timezone.utc)
    with Client(address, os.environ["HYRELOG_WORKSPACE_KEY"]) as client:
        events = [
            events_pb2.EventInput(
                category="user", action=action, project_id=project_id,
                actor=common_pb2.Actor(id="svc-billing", type="service"),
                target=common_pb2.Target(id=f"user-{i}", type="user"),
            )
            for i in range(3)
        ]
        for e in events:
            e.occurred_at.FromDatetime(occurred_at)
        ingested = client.ingest(events)
        ids = [r.id for r in ingested.results]
        for r in ingested.results:
            print(f"ingested {r.id} sequence={r.chain.sequence}")

        # Two events a page, so the iterator follows a cursor.
        listed = [e.id for e in client.list_events(events_pb2.EventFilter(action=action), page_size=2)]
        print(f"listed {len(listed)} events with action {action}")
        if sorted(listed) != sorted(ids):
            print(f"listed {listed}, expected {ids}", file=sys.stderr)
            return 1

        proof = client.inclusion_proof(ids[-1], wait=30)
        print(f"proof {proof.event_id} leaf_index={proof.leaf_index} tree_size={proof.tree_size} root={proof.root_hash} hashes={len(proof.proof)}")
        if proof.leaf != ingested.results[-1].chain.hash:
            print("the proof's leaf is not the event's chain hash", file=sys.stderr)
            return 1

        # The day's events of this action, by action. The counts follow ingest within about a second:
        # ask again while events already stored are not counted yet.
        day = occurred_at.replace(hour=0, minute=0, second=0, microsecond=0)
        deadline = time.monotonic() + 30
        while True:
            counts = client.count_events(events_pb2.EventFilter(action=action), from_=day, to=day + timedelta(days=1),
                                         interval="day", group_by="action")
            if counts.pending_events == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        groups = ",".join(f"{g.key}:{g.count}" for g in counts.groups)
        print(f"counted total={counts.total} buckets={len(counts.buckets)} groups={groups}")
        if counts.total != len(ids) or groups != f"{action}:{len(ids)}":
            print(f"expected {len(ids)} events, all in the group {action}", file=sys.stderr)
            return 1

        # Archives hold events past hot retention: none on a fresh stack.
        archives = list(client.list_archives(page_size=10))
        print(f"archives listed={len(archives)}")
        unknown = "0190f0c0-0000-7000-8000-000000000000"  # no archive has it
        try:
            client.get_archive(unknown)
            print(f"archive {unknown} was found", file=sys.stderr)
            return 1
        except HyreLogError as err:
            if err.code != grpc.StatusCode.NOT_FOUND:
                raise
            print(f"archive {unknown} not found code={err.code.name}")
    print("ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HyreLogError as err:
        print(f"error: {err} {err.violations}", file=sys.stderr)
        sys.exit(1)
