from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.api.v1 import archives_pb2 as _archives_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
RESTORE_STATUS_APPROVED: RestoreStatus
RESTORE_STATUS_CANCELLED: RestoreStatus
RESTORE_STATUS_COMPLETED: RestoreStatus
RESTORE_STATUS_EXPIRED: RestoreStatus
RESTORE_STATUS_FAILED: RestoreStatus
RESTORE_STATUS_INITIATING: RestoreStatus
RESTORE_STATUS_IN_PROGRESS: RestoreStatus
RESTORE_STATUS_PENDING: RestoreStatus
RESTORE_STATUS_REJECTED: RestoreStatus
RESTORE_STATUS_UNSPECIFIED: RestoreStatus
RESTORE_TIER_BULK: RestoreTier
RESTORE_TIER_EXPEDITED: RestoreTier
RESTORE_TIER_STANDARD: RestoreTier
RESTORE_TIER_UNSPECIFIED: RestoreTier

class CancelRestoreRequestRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class CancelRestoreRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: RestoreRequest
    def __init__(self, request: _Optional[_Union[RestoreRequest, _Mapping]] = ...) -> None: ...

class CreateRestoreRequestRequest(_message.Message):
    __slots__ = ["archive_id", "days", "reason", "tier"]
    ARCHIVE_ID_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    archive_id: str
    days: int
    reason: str
    tier: RestoreTier
    def __init__(self, archive_id: _Optional[str] = ..., tier: _Optional[_Union[RestoreTier, str]] = ..., days: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class CreateRestoreRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: RestoreRequest
    def __init__(self, request: _Optional[_Union[RestoreRequest, _Mapping]] = ...) -> None: ...

class GetRestoreRequestRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class GetRestoreRequestResponse(_message.Message):
    __slots__ = ["archive", "request"]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    archive: _archives_pb2.Archive
    request: RestoreRequest
    def __init__(self, request: _Optional[_Union[RestoreRequest, _Mapping]] = ..., archive: _Optional[_Union[_archives_pb2.Archive, _Mapping]] = ...) -> None: ...

class ListRestoreRequestsRequest(_message.Message):
    __slots__ = ["cursor", "limit", "status"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    status: RestoreStatus
    def __init__(self, status: _Optional[_Union[RestoreStatus, str]] = ..., cursor: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListRestoreRequestsResponse(_message.Message):
    __slots__ = ["next_cursor", "requests"]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    next_cursor: str
    requests: _containers.RepeatedCompositeFieldContainer[RestoreRequest]
    def __init__(self, requests: _Optional[_Iterable[_Union[RestoreRequest, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class RestoreRequest(_message.Message):
    __slots__ = ["archive_id", "available_until", "company_id", "completed_at", "created_at", "days", "decided_at", "decided_by", "decision_comment", "error", "estimated_cost_usd", "id", "initiated_at", "reason", "requested_by", "status", "tier", "updated_at"]
    ARCHIVE_ID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_UNTIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECISION_COMMENT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COST_USD_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INITIATED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    archive_id: str
    available_until: _timestamp_pb2.Timestamp
    company_id: str
    completed_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    days: int
    decided_at: _timestamp_pb2.Timestamp
    decided_by: str
    decision_comment: str
    error: str
    estimated_cost_usd: float
    id: str
    initiated_at: _timestamp_pb2.Timestamp
    reason: str
    requested_by: str
    status: RestoreStatus
    tier: RestoreTier
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., archive_id: _Optional[str] = ..., tier: _Optional[_Union[RestoreTier, str]] = ..., status: _Optional[_Union[RestoreStatus, str]] = ..., days: _Optional[int] = ..., estimated_cost_usd: _Optional[float] = ..., reason: _Optional[str] = ..., requested_by: _Optional[str] = ..., decided_by: _Optional[str] = ..., decided_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., decision_comment: _Optional[str] = ..., initiated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., available_until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., error: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RestoreTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RestoreStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
