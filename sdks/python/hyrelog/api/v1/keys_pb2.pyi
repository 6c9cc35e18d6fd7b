from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
KEY_STATUS_ACTIVE: KeyStatus
KEY_STATUS_EXPIRED: KeyStatus
KEY_STATUS_REVOKED: KeyStatus
KEY_STATUS_ROTATING: KeyStatus
KEY_STATUS_UNSPECIFIED: KeyStatus

class ApiKey(_message.Message):
    __slots__ = ["company_id", "created_at", "expires_at", "id", "ip_allowlist", "last_used_at", "name", "prefix", "revoked_at", "rotated_from_id", "scope", "status", "workspace_id"]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    IP_ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    ROTATED_FROM_ID_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    id: str
    ip_allowlist: _containers.RepeatedScalarFieldContainer[str]
    last_used_at: _timestamp_pb2.Timestamp
    name: str
    prefix: str
    revoked_at: _timestamp_pb2.Timestamp
    rotated_from_id: str
    scope: _common_pb2.KeyScope
    status: KeyStatus
    workspace_id: str
    def __init__(self, id: _Optional[str] = ..., prefix: _Optional[str] = ..., scope: _Optional[_Union[_common_pb2.KeyScope, str]] = ..., company_id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., name: _Optional[str] = ..., ip_allowlist: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[KeyStatus, str]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., rotated_from_id: _Optional[str] = ...) -> None: ...

class CreateWorkspaceKeyRequest(_message.Message):
    __slots__ = ["ip_allowlist", "name", "workspace_id"]
    IP_ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    ip_allowlist: _containers.RepeatedScalarFieldContainer[str]
    name: str
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., name: _Optional[str] = ..., ip_allowlist: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateWorkspaceKeyResponse(_message.Message):
    __slots__ = ["key", "secret"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    key: ApiKey
    secret: str
    def __init__(self, key: _Optional[_Union[ApiKey, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class GetKeyStatusRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetKeyStatusResponse(_message.Message):
    __slots__ = ["key"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: ApiKey
    def __init__(self, key: _Optional[_Union[ApiKey, _Mapping]] = ...) -> None: ...

class ListCompanyKeysRequest(_message.Message):
    __slots__ = ["cursor", "limit", "workspace_id"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListCompanyKeysResponse(_message.Message):
    __slots__ = ["keys", "next_cursor"]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[ApiKey]
    next_cursor: str
    def __init__(self, keys: _Optional[_Iterable[_Union[ApiKey, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class RevokeKeyRequest(_message.Message):
    __slots__ = ["key_id", "reason"]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    reason: str
    def __init__(self, key_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RevokeKeyResponse(_message.Message):
    __slots__ = ["key", "previous_status"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    key: ApiKey
    previous_status: KeyStatus
    def __init__(self, key: _Optional[_Union[ApiKey, _Mapping]] = ..., previous_status: _Optional[_Union[KeyStatus, str]] = ...) -> None: ...

class RotateKeyRequest(_message.Message):
    __slots__ = ["grace_period_seconds", "key_id"]
    GRACE_PERIOD_SECONDS_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    grace_period_seconds: int
    key_id: str
    def __init__(self, key_id: _Optional[str] = ..., grace_period_seconds: _Optional[int] = ...) -> None: ...

class RotateKeyResponse(_message.Message):
    __slots__ = ["key", "previous", "secret"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    key: ApiKey
    previous: ApiKey
    secret: str
    def __init__(self, key: _Optional[_Union[ApiKey, _Mapping]] = ..., secret: _Optional[str] = ..., previous: _Optional[_Union[ApiKey, _Mapping]] = ...) -> None: ...

class KeyStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
