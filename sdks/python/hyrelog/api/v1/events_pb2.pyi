from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventFilter(_message.Message):
    __slots__ = ["action", "actor_email", "actor_id", "category", "project_id", "target_id", "target_type", "to", "workspace_id"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor_email: str
    actor_id: str
    category: str
    project_id: str
    target_id: str
    target_type: str
    to: _timestamp_pb2.Timestamp
    workspace_id: str
    def __init__(self, category: _Optional[str] = ..., action: _Optional[str] = ..., project_id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., actor_id: _Optional[str] = ..., actor_email: _Optional[str] = ..., target_id: _Optional[str] = ..., target_type: _Optional[str] = ..., to: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., **kwargs) -> None: ...

class EventInput(_message.Message):
    __slots__ = ["action", "actor", "category", "changes", "idempotency_key", "metadata", "occurred_at", "payload", "personal_fields", "project_id", "target"]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: _common_pb2.Actor
    category: str
    changes: _containers.RepeatedCompositeFieldContainer[_common_pb2.Change]
    idempotency_key: str
    metadata: _struct_pb2.Struct
    occurred_at: _timestamp_pb2.Timestamp
    payload: _struct_pb2.Struct
    personal_fields: _containers.RepeatedScalarFieldContainer[str]
    project_id: str
    target: _common_pb2.Target
    def __init__(self, category: _Optional[str] = ..., action: _Optional[str] = ..., actor: _Optional[_Union[_common_pb2.Actor, _Mapping]] = ..., target: _Optional[_Union[_common_pb2.Target, _Mapping]] = ..., project_id: _Optional[str] = ..., changes: _Optional[_Iterable[_Union[_common_pb2.Change, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., idempotency_key: _Optional[str] = ..., personal_fields: _Optional[_Iterable[str]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class EventResult(_message.Message):
    __slots__ = ["chain", "duplicate", "id", "index", "received_at"]
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    chain: _common_pb2.ChainPosition
    duplicate: bool
    id: str
    index: int
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, index: _Optional[int] = ..., id: _Optional[str] = ..., chain: _Optional[_Union[_common_pb2.ChainPosition, _Mapping]] = ..., received_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., duplicate: bool = ...) -> None: ...

class GetEventRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetEventResponse(_message.Message):
    __slots__ = ["event"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: _common_pb2.AuditEvent
    def __init__(self, event: _Optional[_Union[_common_pb2.AuditEvent, _Mapping]] = ...) -> None: ...

class IngestEventsRequest(_message.Message):
    __slots__ = ["events"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[EventInput]
    def __init__(self, events: _Optional[_Iterable[_Union[EventInput, _Mapping]]] = ...) -> None: ...

class IngestEventsResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[EventResult]
    def __init__(self, results: _Optional[_Iterable[_Union[EventResult, _Mapping]]] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ["cursor", "filter", "limit"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    filter: EventFilter
    limit: int
    def __init__(self, filter: _Optional[_Union[EventFilter, _Mapping]] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListEventsResponse(_message.Message):
    __slots__ = ["events", "next_cursor", "older_in_archives"]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    OLDER_IN_ARCHIVES_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[_common_pb2.AuditEvent]
    next_cursor: str
    older_in_archives: bool
    def __init__(self, events: _Optional[_Iterable[_Union[_common_pb2.AuditEvent, _Mapping]]] = ..., next_cursor: _Optional[str] = ..., older_in_archives: bool = ...) -> None: ...

class ListTargetEventsRequest(_message.Message):
    __slots__ = ["cursor", "limit", "target_id", "target_type", "workspace_id"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_TYPE_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    target_id: str
    target_type: str
    workspace_id: str
    def __init__(self, target_type: _Optional[str] = ..., target_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ..., workspace_id: _Optional[str] = ...) -> None: ...

class ListTargetEventsResponse(_message.Message):
    __slots__ = ["next_cursor", "versions"]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    next_cursor: str
    versions: _containers.RepeatedCompositeFieldContainer[TargetVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[TargetVersion, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class TailEventsRequest(_message.Message):
    __slots__ = ["filter", "resume_token"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filter: EventFilter
    resume_token: str
    def __init__(self, filter: _Optional[_Union[EventFilter, _Mapping]] = ..., resume_token: _Optional[str] = ...) -> None: ...

class TailEventsResponse(_message.Message):
    __slots__ = ["event", "resume_token"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RESUME_TOKEN_FIELD_NUMBER: _ClassVar[int]
    event: _common_pb2.AuditEvent
    resume_token: str
    def __init__(self, event: _Optional[_Union[_common_pb2.AuditEvent, _Mapping]] = ..., resume_token: _Optional[str] = ...) -> None: ...

class TargetVersion(_message.Message):
    __slots__ = ["event", "state", "version"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    event: _common_pb2.AuditEvent
    state: _struct_pb2.Struct
    version: int
    def __init__(self, version: _Optional[int] = ..., event: _Optional[_Union[_common_pb2.AuditEvent, _Mapping]] = ..., state: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...
