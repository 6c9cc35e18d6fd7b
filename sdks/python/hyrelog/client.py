"""A thin client for HyreLog's public gRPC API (hyrelog.api.v1).

It adds to the generated stubs only what every caller needs: the API key on each call, retries
with backoff for transient failures, idempotency keys so that retried ingests never store an
event twice, iteration over ListEvents and ListArchives pages, event counts (CountEvents), and a
live tail (TailEvents) that reconnects from its last resume token. The stubs stay reachable as
``client.events``, ``client.verification``, ``client.analytics`` and ``client.archives`` for
everything else.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import datetime
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Optional, Union

import grpc

from hyrelog.api.v1 import (
    analytics_pb2,
    analytics_pb2_grpc,
    archives_pb2,
    archives_pb2_grpc,
    events_pb2,
    events_pb2_grpc,
    verification_pb2,
    verification_pb2_grpc,
)
from hyrelog.common.v1 import common_pb2

# Failures that may pass if the call is made again: the server was briefly unreachable or
# overloaded, the key's rate limit was hit, or the call ran out of time.
RETRYABLE = frozenset({grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.DEADLINE_EXCEEDED})


class HyreLogError(Exception):
    """A call that failed: ``code`` is the gRPC status code, ``violations`` lists (field, description)
    pairs when the server rejected an invalid request (INVALID_ARGUMENT)."""

    def __init__(self, code: grpc.StatusCode, message: str, violations: list[tuple[str, str]]):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.violations = violations

    @classmethod
    def from_rpc_error(cls, err: grpc.RpcError) -> "HyreLogError":
        violations: list[tuple[str, str]] = []
        for key, value in err.trailing_metadata() or ():
            if key == "grpc-status-details-bin":
                violations = _violations(value)
        return cls(err.code(), err.details() or "", violations)


EventLike = Union[events_pb2.EventInput, Mapping]

# count_events' interval and group_by, by name.
INTERVALS = {"hour": analytics_pb2.ANALYTICS_INTERVAL_HOUR, "day": analytics_pb2.ANALYTICS_INTERVAL_DAY}
GROUP_BY = {
    "category": analytics_pb2.ANALYTICS_GROUP_BY_CATEGORY,
    "action": analytics_pb2.ANALYTICS_GROUP_BY_ACTION,
    "actor": analytics_pb2.ANALYTICS_GROUP_BY_ACTOR,
    "project": analytics_pb2.ANALYTICS_GROUP_BY_PROJECT,
    "workspace": analytics_pb2.ANALYTICS_GROUP_BY_WORKSPACE,
}


class Client:
    """``Client("127.0.0.1:3000", "hlk_ws_...")``; an ``https://`` address uses TLS.

    Each call gets ``timeout`` seconds per attempt and up to ``max_attempts`` attempts, waiting
    ``backoff`` seconds before the second, doubling (with jitter) up to ``max_backoff``.
    """

    def __init__(self, address: str, api_key: str, *, timeout: float = 10.0, max_attempts: int = 4,
                 backoff: float = 0.2, max_backoff: float = 5.0):
        if not api_key:
            raise ValueError("an API key is required (hlk_ws_... or hlk_co_...)")
        if address.startswith("https://"):
            self._channel = grpc.secure_channel(address[len("https://"):].rstrip("/"), grpc.ssl_channel_credentials())
        else:
            self._channel = grpc.insecure_channel(address.removeprefix("http://").rstrip("/"))
        self._metadata = (("authorization", f"Bearer {api_key}"),)
        self._timeout = timeout
        self._max_attempts = max(1, max_attempts)
        self._backoff = backoff
        self._max_backoff = max_backoff
        self.events = events_pb2_grpc.EventServiceStub(self._channel)
        self.verification = verification_pb2_grpc.VerificationServiceStub(self._channel)
        self.analytics = analytics_pb2_grpc.AnalyticsServiceStub(self._channel)
        self.archives = archives_pb2_grpc.ArchiveServiceStub(self._channel)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def call(self, method, request):
        """Calls a stub method (e.g. ``client.verification.ListCheckpoints``) with the key, the
        timeout and retries; raises HyreLogError."""
        delay = self._backoff
        for attempt in range(1, self._max_attempts + 1):
            try:
                return method(request, metadata=self._metadata, timeout=self._timeout)
            except grpc.RpcError as err:
                if err.code() not in RETRYABLE or attempt == self._max_attempts:
                    raise HyreLogError.from_rpc_error(err) from None
            time.sleep(random.uniform(delay / 2, delay))
            delay = min(delay * 2, self._max_backoff)
        raise AssertionError("unreachable")

    def ingest(self, events: Iterable[EventLike]) -> events_pb2.IngestEventsResponse:
        """Records events atomically (at most 1,000 per call). Events without an idempotency key get
        a random one before the first attempt, so a retry finds them instead of storing them twice."""
        request = events_pb2.IngestEventsRequest()
        for e in events:
            event = request.events.add()
            if isinstance(e, events_pb2.EventInput):
                event.CopyFrom(e)
            else:
                event.CopyFrom(events_pb2.EventInput(**e))
            if not event.idempotency_key:
                event.idempotency_key = str(uuid.uuid4())
        return self.call(self.events.IngestEvents, request)

    def get_event(self, event_id: str) -> common_pb2.AuditEvent:
        return self.call(self.events.GetEvent, events_pb2.GetEventRequest(id=event_id)).event

    def list_pages(self, filter: Optional[events_pb2.EventFilter] = None, *, page_size: int = 100,
                   cursor: str = "") -> Iterator[events_pb2.ListEventsResponse]:
        """Yields ListEvents pages, newest events first, following next_cursor until the last."""
        return self._pages(lambda c: events_pb2.ListEventsRequest(filter=filter, limit=page_size, cursor=c), self.events.ListEvents, cursor)

    def list_events(self, filter: Optional[events_pb2.EventFilter] = None, *, page_size: int = 100) -> Iterator[common_pb2.AuditEvent]:
        """Yields every event the filter matches, newest first, fetching pages as needed."""
        for page in self.list_pages(filter, page_size=page_size):
            yield from page.events

    def count_events(self, filter: Optional[events_pb2.EventFilter] = None, *, from_: Optional[datetime] = None,
                     to: Optional[datetime] = None, interval: str = "day", group_by: Optional[str] = None,
                     limit: int = 0) -> analytics_pb2.CountEventsResponse:
        """Event counts per UTC ``interval`` ("hour" or "day") from the rollups (docs/analytics.md),
        optionally split by ``group_by`` ("category", "action", "actor", "project", "workspace"; at
        most ``limit`` groups, default 10, the rest in ``other``). ``filter`` takes the list's
        filters bar actor_email, target_id and target_type; ``from_`` (inclusive) and ``to``
        (exclusive, timezone-aware datetimes) set its time range, widened to whole buckets (default:
        the 7 days before the end of the current bucket). The counts follow ingest within about a
        second: ``pending_events`` > 0 means events already stored are not counted yet."""
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}")
        if group_by is not None and group_by not in GROUP_BY:
            raise ValueError(f"group_by must be one of {', '.join(GROUP_BY)}, got {group_by!r}")
        request = analytics_pb2.CountEventsRequest(interval=INTERVALS[interval], group_by=GROUP_BY.get(group_by, 0), limit=limit)
        if filter is not None:
            request.filter.CopyFrom(filter)
        for field, value in (("from", from_), ("to", to)):
            if value is not None:
                if value.tzinfo is None:
                    raise ValueError(f"{field} must be a timezone-aware datetime")
                getattr(request.filter, field).FromDatetime(value)
        return self.call(self.analytics.CountEvents, request)

    def list_archive_pages(self, workspace_id: str = "", *, page_size: int = 100,
                           cursor: str = "") -> Iterator[archives_pb2.ListArchivesResponse]:
        """Yields ListArchives pages (archives of events past hot retention, newest first),
        following next_cursor until the last. ``workspace_id`` narrows a company key's archives to
        one workspace; a workspace key always sees its own."""
        return self._pages(lambda c: archives_pb2.ListArchivesRequest(workspace_id=workspace_id, limit=page_size, cursor=c),
                           self.archives.ListArchives, cursor)

    def list_archives(self, workspace_id: str = "", *, page_size: int = 100) -> Iterator[archives_pb2.Archive]:
        """Yields every archive of the key's scope (see list_archive_pages), fetching pages as needed."""
        for page in self.list_archive_pages(workspace_id, page_size=page_size):
            yield from page.archives

    def get_archive(self, archive_id: str) -> archives_pb2.GetArchiveResponse:
        """One archive, with a presigned ``download_url`` of its gzipped object while it is readable
        (empty while cold and not restored). Raises HyreLogError NOT_FOUND for an id the key cannot see."""
        return self.call(self.archives.GetArchive, archives_pb2.GetArchiveRequest(archive_id=archive_id))

    def _pages(self, request_at: Callable[[str], object], method, cursor: str) -> Iterator:
        """Calls a list method from ``cursor`` on, yielding each page, until next_cursor is empty."""
        while True:
            page = self.call(method, request_at(cursor))
            yield page
            cursor = page.next_cursor
            if not cursor:
                return

    def tail(self, filter: Optional[events_pb2.EventFilter] = None, *, resume_token: str = "") -> "Tail":
        """Opens a live tail: the events the filter matches that are stored from now on, or right
        after ``resume_token`` (one a tail gave you earlier), oldest first, each once. Returns once
        the stream is open; iterate it for TailedEvent(event, resume_token). See Tail."""
        return Tail(self, events_pb2.TailEventsRequest(filter=filter, resume_token=resume_token))

    def inclusion_proof(self, event_id: str, tree_size: Optional[int] = None, *,
                        wait: float = 0.0) -> verification_pb2.GetInclusionProofResponse:
        """Proof that the event is in its log's Merkle tree. A new event is provable once a signed
        checkpoint covers it (usually within seconds): with ``wait`` > 0, keeps asking for up to
        that many seconds while the answer is FAILED_PRECONDITION or NOT_FOUND."""
        request = verification_pb2.GetInclusionProofRequest(event_id=event_id)
        if tree_size is not None:
            request.tree_size = tree_size
        deadline = time.monotonic() + wait
        while True:
            try:
                return self.call(self.verification.GetInclusionProof, request)
            except HyreLogError as err:
                pending = err.code in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND)
                if not pending or time.monotonic() >= deadline:
                    raise
            time.sleep(0.2)

    def latest_checkpoint(self, workspace_id: str = "") -> verification_pb2.Checkpoint:
        request = verification_pb2.GetLatestCheckpointRequest(workspace_id=workspace_id)
        return self.call(self.verification.GetLatestCheckpoint, request).checkpoint

    def signing_keys(self) -> list[verification_pb2.SigningKey]:
        return list(self.call(self.verification.ListSigningKeys, verification_pb2.ListSigningKeysRequest()).keys)


class TailedEvent(NamedTuple):
    """One event of a live tail, and the resume token right after it: keep the token of the last
    event you handled, and pass it to ``client.tail(resume_token=...)`` to go on from there."""

    event: common_pb2.AuditEvent
    resume_token: str


class Tail:
    """A live tail (``client.tail(...)``): an iterator of TailedEvent that waits for each next event.

    ``resume_token`` is always the position after the last event yielded (before the first, where
    the stream started). When the stream ends for a transient reason (UNAVAILABLE: the gateway
    restarted or the connection broke; RESOURCE_EXHAUSTED: the client read too slowly or the key
    has too many streams open; DEADLINE_EXCEEDED: it took longer than ``timeout`` to open), the
    tail calls again with that token, so no event is missed or repeated: at once after a stream
    that brought events, else after the backoff. When ``max_attempts`` calls in a row fail to open,
    it raises the last failure. Any other failure raises HyreLogError, e.g. FAILED_PRECONDITION when the
    resume point is older than the event stream keeps (7 days): read the gap with list_events and
    open a new tail without a token. ``close()`` (or leaving a ``with`` block) ends it from any
    thread; the iteration then stops.
    """

    def __init__(self, client: Client, request: events_pb2.TailEventsRequest):
        self._client = client
        self._request = request
        self.resume_token = request.resume_token
        self._lock = threading.Lock()
        self._call = None
        self._closed = False
        self._delivered = False  # Whether the current stream brought an event.
        self._connect()

    def __iter__(self) -> "Tail":
        return self

    def __next__(self) -> TailedEvent:
        while True:
            with self._lock:
                call = self._call
            if call is None:
                self._connect()
                continue
            try:
                res = next(call)
            except StopIteration:
                res = None  # The server ended the stream without an error: call again.
            except grpc.RpcError as err:
                if self._closed:
                    raise StopIteration from None
                if err.code() not in RETRYABLE:
                    raise HyreLogError.from_rpc_error(err) from None
                res = None
            if self._closed:
                raise StopIteration
            if res is None:
                with self._lock:
                    self._call = None
                # Call again at once after a stream that brought events, else after the backoff.
                if not self._delivered:
                    time.sleep(random.uniform(self._client._backoff / 2, self._client._backoff))
                continue
            self._delivered = True
            self.resume_token = res.resume_token
            if res.HasField("event"):
                return TailedEvent(res.event, res.resume_token)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            call, self._call = self._call, None
        if call is not None:
            call.cancel()

    def __enter__(self) -> "Tail":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def _connect(self) -> None:
        """Calls TailEvents from ``resume_token`` and reads its first response (where the stream
        starts), retrying transient failures; each attempt has ``timeout`` seconds to open."""
        c = self._client
        delay = c._backoff
        for attempt in range(1, c._max_attempts + 1):
            if self._closed:
                raise StopIteration
            request = events_pb2.TailEventsRequest()
            request.CopyFrom(self._request)
            request.resume_token = self.resume_token
            call = c.events.TailEvents(request, metadata=c._metadata)
            # The stream has no deadline; its opening has `timeout`. Whichever comes first, the first
            # response or the timer, settles the attempt.
            settle = _Once()
            timer = threading.Timer(c._timeout, lambda call=call, settle=settle: settle() and call.cancel())
            timer.daemon = True
            timer.start()
            code, err = None, None
            try:
                first = next(call)
                if not settle():
                    code = grpc.StatusCode.DEADLINE_EXCEEDED  # The timer cancelled it meanwhile.
            except StopIteration:
                code = grpc.StatusCode.UNAVAILABLE
            except grpc.RpcError as e:
                timed_out = not settle() and not self._closed
                code, err = (grpc.StatusCode.DEADLINE_EXCEEDED if timed_out else e.code()), e
            finally:
                timer.cancel()
            if code is None:
                with self._lock:
                    if self._closed:
                        call.cancel()
                        raise StopIteration
                    self._call = call
                    self._delivered = False
                self.resume_token = first.resume_token
                return
            if self._closed:
                raise StopIteration
            if code not in RETRYABLE or attempt == c._max_attempts:
                if err is not None and err.code() == code:
                    raise HyreLogError.from_rpc_error(err) from None
                raise HyreLogError(code, "the live tail could not be opened", [])
            time.sleep(random.uniform(delay / 2, delay))
            delay = min(delay * 2, c._max_backoff)


class _Once:
    """Calling it returns True the first time only (from any thread)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._done = False

    def __call__(self) -> bool:
        with self._lock:
            done, self._done = self._done, True
            return not done


def _violations(status_bytes: bytes) -> list[tuple[str, str]]:
    """The field violations in a google.rpc.Status (grpc-status-details-bin): its details (field 3)
    are Any messages; those holding a hyrelog.common.v1.BadRequest carry them."""
    out: list[tuple[str, str]] = []
    try:
        for number, value in _fields(status_bytes):
            if number != 3:
                continue
            any_fields = dict(_fields(value))
            if any_fields.get(1, b"").decode().endswith("/hyrelog.common.v1.BadRequest"):
                bad = common_pb2.BadRequest.FromString(any_fields.get(2, b""))
                out.extend((v.field, v.description) for v in bad.violations)
    except (ValueError, IndexError):
        pass  # Not a Status we can read: the message still says what is wrong.
    return out


def _fields(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The length-delimited fields of a protobuf message (others skipped): (number, bytes)."""
    i = 0

    def varint() -> int:
        nonlocal i
        shift = result = 0
        while True:
            b = data[i]
            i += 1
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    while i < len(data):
        key = varint()
        wire = key & 7
        if wire == 0:
            varint()
        elif wire == 2:
            n = varint()
            yield key >> 3, data[i:i + n]
            i += n
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        else:
            raise ValueError("unsupported wire type")
