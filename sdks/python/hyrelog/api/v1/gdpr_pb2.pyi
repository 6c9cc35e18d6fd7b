from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.api.v1 import exports_pb2 as _exports_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DECIDER_ROLE_CUSTOMER: DeciderRole
DECIDER_ROLE_HYRELOG_ADMIN: DeciderRole
DECIDER_ROLE_UNSPECIFIED: DeciderRole
DESCRIPTOR: _descriptor.FileDescriptor
REQUEST_KIND_ACCESS: RequestKind
REQUEST_KIND_ERASURE: RequestKind
REQUEST_KIND_UNSPECIFIED: RequestKind
REQUEST_STATUS_APPROVED: RequestStatus
REQUEST_STATUS_CANCELLED: RequestStatus
REQUEST_STATUS_COMPLETED: RequestStatus
REQUEST_STATUS_FAILED: RequestStatus
REQUEST_STATUS_PENDING_APPROVAL: RequestStatus
REQUEST_STATUS_REJECTED: RequestStatus
REQUEST_STATUS_UNSPECIFIED: RequestStatus

class Approval(_message.Message):
    __slots__ = ["approved", "comment", "created_at", "decided_by", "role"]
    APPROVED_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    approved: bool
    comment: str
    created_at: _timestamp_pb2.Timestamp
    decided_by: str
    role: DeciderRole
    def __init__(self, decided_by: _Optional[str] = ..., role: _Optional[_Union[DeciderRole, str]] = ..., approved: bool = ..., comment: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelRequestRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class CancelRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: GdprRequest
    def __init__(self, request: _Optional[_Union[GdprRequest, _Mapping]] = ...) -> None: ...

class CreateCompanyExportRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CreateCompanyExportResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: _exports_pb2.Job
    def __init__(self, job: _Optional[_Union[_exports_pb2.Job, _Mapping]] = ...) -> None: ...

class CreateRequestRequest(_message.Message):
    __slots__ = ["kind", "reason", "subject_email", "subject_id"]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: RequestKind
    reason: str
    subject_email: str
    subject_id: str
    def __init__(self, kind: _Optional[_Union[RequestKind, str]] = ..., subject_id: _Optional[str] = ..., subject_email: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CreateRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: GdprRequest
    def __init__(self, request: _Optional[_Union[GdprRequest, _Mapping]] = ...) -> None: ...

class DecideRequestRequest(_message.Message):
    __slots__ = ["approve", "comment", "request_id"]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    approve: bool
    comment: str
    request_id: str
    def __init__(self, request_id: _Optional[str] = ..., approve: bool = ..., comment: _Optional[str] = ...) -> None: ...

class DecideRequestResponse(_message.Message):
    __slots__ = ["request"]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    request: GdprRequest
    def __init__(self, request: _Optional[_Union[GdprRequest, _Mapping]] = ...) -> None: ...

class DownloadFile(_message.Message):
    __slots__ = ["bytes", "sha256", "url", "url_expires_at"]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    URL_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    bytes: int
    sha256: str
    url: str
    url_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, url: _Optional[str] = ..., url_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., bytes: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class GdprRequest(_message.Message):
    __slots__ = ["approvals", "company_id", "created_at", "error", "id", "job_id", "kind", "needs_customer_approval", "needs_hyrelog_approval", "reason", "requested_by", "result", "status", "subject_id", "subject_named_by_email", "updated_at"]
    APPROVALS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NEEDS_CUSTOMER_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    NEEDS_HYRELOG_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_NAMED_BY_EMAIL_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    approvals: _containers.RepeatedCompositeFieldContainer[Approval]
    company_id: str
    created_at: _timestamp_pb2.Timestamp
    error: str
    id: str
    job_id: str
    kind: RequestKind
    needs_customer_approval: bool
    needs_hyrelog_approval: bool
    reason: str
    requested_by: str
    result: _struct_pb2.Struct
    status: RequestStatus
    subject_id: str
    subject_named_by_email: bool
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., kind: _Optional[_Union[RequestKind, str]] = ..., subject_id: _Optional[str] = ..., subject_named_by_email: bool = ..., reason: _Optional[str] = ..., status: _Optional[_Union[RequestStatus, str]] = ..., requested_by: _Optional[str] = ..., approvals: _Optional[_Iterable[_Union[Approval, _Mapping]]] = ..., needs_customer_approval: bool = ..., needs_hyrelog_approval: bool = ..., job_id: _Optional[str] = ..., result: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., error: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCompanyExportRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetCompanyExportResponse(_message.Message):
    __slots__ = ["file", "job"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    file: DownloadFile
    job: _exports_pb2.Job
    def __init__(self, job: _Optional[_Union[_exports_pb2.Job, _Mapping]] = ..., file: _Optional[_Union[DownloadFile, _Mapping]] = ...) -> None: ...

class GetRequestRequest(_message.Message):
    __slots__ = ["request_id"]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    def __init__(self, request_id: _Optional[str] = ...) -> None: ...

class GetRequestResponse(_message.Message):
    __slots__ = ["file", "job", "request"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    file: DownloadFile
    job: _exports_pb2.Job
    request: GdprRequest
    def __init__(self, request: _Optional[_Union[GdprRequest, _Mapping]] = ..., job: _Optional[_Union[_exports_pb2.Job, _Mapping]] = ..., file: _Optional[_Union[DownloadFile, _Mapping]] = ...) -> None: ...

class ListRequestsRequest(_message.Message):
    __slots__ = ["cursor", "limit", "status"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    status: RequestStatus
    def __init__(self, limit: _Optional[int] = ..., cursor: _Optional[str] = ..., status: _Optional[_Union[RequestStatus, str]] = ...) -> None: ...

class ListRequestsResponse(_message.Message):
    __slots__ = ["next_cursor", "requests"]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    next_cursor: str
    requests: _containers.RepeatedCompositeFieldContainer[GdprRequest]
    def __init__(self, requests: _Optional[_Iterable[_Union[GdprRequest, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class RequestKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class RequestStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DeciderRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
