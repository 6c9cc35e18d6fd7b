#!/usr/bin/python3
"""Ingests a batch of events, lists them back and fetches an inclusion proof for one.

  HYRELOG_ADDRESS=127.0.0.1:8080 HYRELOG_WORKSPACE_KEY=hlk_ws_... HYRELOG_PROJECT_ID=... \
    PYTHONPATH=sdks/python /usr/bin/python3 sdks/python/example.py

Prints what it did; exits non-zero on any failure.
"""

import os
import sys
import uuid

from hyrelog import Client, HyreLogError
from hyrelog.api.v1 import events_pb2
from hyrelog.common.v1 import common_pb2


def main() -> int:
    address = os.environ.get("HYRELOG_ADDRESS") or os.environ["HYRELOG_URL"]
    project_id = os.environ["HYRELOG_PROJECT_ID"]
    action = f"sdk.python.{uuid.uuid4().hex[:8]}"
    with Client(address, os.environ["HYRELOG_WORKSPACE_KEY"]) as client:
        events = [
            events_pb2.EventInput(
                category="user", action=action, project_id=project_id,
                actor=common_pb2.Actor(id="svc-billing", type="service"),
                target=common_pb2.Target(id=f"user-{i}", type="user"),
            )
            for i in range(3)
        ]
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
    print("ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HyreLogError as err:
        print(f"error: {err} {err.violations}", file=sys.stderr)
        sys.exit(1)
