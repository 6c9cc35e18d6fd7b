from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DASHBOARD_ROLE_ADMIN: DashboardRole
DASHBOARD_ROLE_HYRELOG_ADMIN: DashboardRole
DASHBOARD_ROLE_MEMBER: DashboardRole
DASHBOARD_ROLE_UNSPECIFIED: DashboardRole
DESCRIPTOR: _descriptor.FileDescriptor
KEY_SCOPE_COMPANY: KeyScope
KEY_SCOPE_SYSTEM: KeyScope
KEY_SCOPE_UNSPECIFIED: KeyScope
KEY_SCOPE_WORKSPACE: KeyScope
PLAN_TIER_ENTERPRISE: PlanTier
PLAN_TIER_FREE: PlanTier
PLAN_TIER_GROWTH: PlanTier
PLAN_TIER_STARTER: PlanTier
PLAN_TIER_UNSPECIFIED: PlanTier
REGION_AU: Region
REGION_EU: Region
REGION_UK: Region
REGION_UNSPECIFIED: Region
REGION_US: Region

class Actor(_message.Message):
    __slots__ = ["email", "id", "name", "type"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    email: str
    id: str
    name: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class AuditEvent(_message.Message):
    __slots__ = ["action", "actor", "category", "chain", "changes", "company_id", "context", "id", "idempotency_key", "metadata", "occurred_at", "payload", "personal", "project_id", "received_at", "target", "v", "workspace_id"]
    class PersonalEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: PersonalValue
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[PersonalValue, _Mapping]] = ...) -> None: ...
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_FIELD_NUMBER: _ClassVar[int]
    PROJECT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    V_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: Actor
    category: str
    chain: ChainPosition
    changes: _containers.RepeatedCompositeFieldContainer[Change]
    company_id: str
    context: RequestContext
    id: str
    idempotency_key: str
    metadata: _struct_pb2.Struct
    occurred_at: _timestamp_pb2.Timestamp
    payload: _struct_pb2.Struct
    personal: _containers.MessageMap[str, PersonalValue]
    project_id: str
    received_at: _timestamp_pb2.Timestamp
    target: Target
    v: int
    workspace_id: str
    def __init__(self, id: _Optional[str] = ..., company_id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., project_id: _Optional[str] = ..., occurred_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., category: _Optional[str] = ..., action: _Optional[str] = ..., actor: _Optional[_Union[Actor, _Mapping]] = ..., target: _Optional[_Union[Target, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[Change, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., context: _Optional[_Union[RequestContext, _Mapping]] = ..., idempotency_key: _Optional[str] = ..., chain: _Optional[_Union[ChainPosition, _Mapping]] = ..., v: _Optional[int] = ..., personal: _Optional[_Mapping[str, PersonalValue]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class BadRequest(_message.Message):
    __slots__ = ["violations"]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[FieldViolation]
    def __init__(self, violations: _Optional[_Iterable[_Union[FieldViolation, _Mapping]]] = ...) -> None: ...

class ChainPosition(_message.Message):
    __slots__ = ["hash", "prev_hash", "sequence"]
    HASH_FIELD_NUMBER: _ClassVar[int]
    PREV_HASH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    hash: str
    prev_hash: str
    sequence: int
    def __init__(self, sequence: _Optional[int] = ..., prev_hash: _Optional[str] = ..., hash: _Optional[str] = ...) -> None: ...

class Change(_message.Message):
    __slots__ = ["field", "new_value", "old_value"]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    OLD_VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    new_value: _struct_pb2.Value
    old_value: _struct_pb2.Value
    def __init__(self, field: _Optional[str] = ..., old_value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., new_value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class DashboardUser(_message.Message):
    __slots__ = ["company_id", "email", "role", "user_id"]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    email: str
    role: DashboardRole
    user_id: str
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ..., role: _Optional[_Union[DashboardRole, str]] = ..., company_id: _Optional[str] = ...) -> None: ...

class FieldViolation(_message.Message):
    __slots__ = ["description", "field"]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    description: str
    field: str
    def __init__(self, field: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class PersonalValue(_message.Message):
    __slots__ = ["commitment", "erased", "salt"]
    COMMITMENT_FIELD_NUMBER: _ClassVar[int]
    ERASED_FIELD_NUMBER: _ClassVar[int]
    SALT_FIELD_NUMBER: _ClassVar[int]
    commitment: str
    erased: bool
    salt: str
    def __init__(self, commitment: _Optional[str] = ..., salt: _Optional[str] = ..., erased: bool = ...) -> None: ...

class PlanLimit(_message.Message):
    __slots__ = ["limit", "plan", "value"]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    limit: str
    plan: PlanTier
    value: str
    def __init__(self, plan: _Optional[_Union[PlanTier, str]] = ..., limit: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class Principal(_message.Message):
    __slots__ = ["company_id", "ip_allowlist", "key_id", "plan", "region", "scope", "workspace_id"]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    IP_ALLOWLIST_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    company_id: str
    ip_allowlist: _containers.RepeatedScalarFieldContainer[str]
    key_id: str
    plan: PlanTier
    region: Region
    scope: KeyScope
    workspace_id: str
    def __init__(self, key_id: _Optional[str] = ..., company_id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., scope: _Optional[_Union[KeyScope, str]] = ..., region: _Optional[_Union[Region, str]] = ..., plan: _Optional[_Union[PlanTier, str]] = ..., ip_allowlist: _Optional[_Iterable[str]] = ...) -> None: ...

class RequestContext(_message.Message):
    __slots__ = ["ip", "request_id", "trace_id", "user_agent"]
    IP_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TRACE_ID_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    ip: str
    request_id: str
    trace_id: str
    user_agent: str
    def __init__(self, ip: _Optional[str] = ..., user_agent: _Optional[str] = ..., trace_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class RestoreRequired(_message.Message):
    __slots__ = ["archive_ids"]
    ARCHIVE_IDS_FIELD_NUMBER: _ClassVar[int]
    archive_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, archive_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Target(_message.Message):
    __slots__ = ["id", "name", "type"]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    type: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Region(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PlanTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class KeyScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DashboardRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
