from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
FAULT_KIND_ALTERED: FaultKind
FAULT_KIND_BAD_SIGNATURE: FaultKind
FAULT_KIND_INSERTED: FaultKind
FAULT_KIND_MISSING: FaultKind
FAULT_KIND_REORDERED: FaultKind
FAULT_KIND_UNSPECIFIED: FaultKind

class Checkpoint(_message.Message):
    __slots__ = ["created_at", "key_name", "log_id", "root_hash", "signed_note", "tree_size"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    SIGNED_NOTE_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    key_name: str
    log_id: str
    root_hash: str
    signed_note: str
    tree_size: int
    def __init__(self, log_id: _Optional[str] = ..., tree_size: _Optional[int] = ..., root_hash: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., signed_note: _Optional[str] = ..., key_name: _Optional[str] = ...) -> None: ...

class GetConsistencyProofRequest(_message.Message):
    __slots__ = ["from_tree_size", "to_tree_size", "workspace_id"]
    FROM_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TO_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    from_tree_size: int
    to_tree_size: int
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., from_tree_size: _Optional[int] = ..., to_tree_size: _Optional[int] = ...) -> None: ...

class GetConsistencyProofResponse(_message.Message):
    __slots__ = ["from_root_hash", "from_tree_size", "log_id", "proof", "to_root_hash", "to_tree_size"]
    FROM_ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    FROM_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    TO_ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    TO_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    from_root_hash: str
    from_tree_size: int
    log_id: str
    proof: _containers.RepeatedScalarFieldContainer[str]
    to_root_hash: str
    to_tree_size: int
    def __init__(self, log_id: _Optional[str] = ..., from_tree_size: _Optional[int] = ..., to_tree_size: _Optional[int] = ..., proof: _Optional[_Iterable[str]] = ..., from_root_hash: _Optional[str] = ..., to_root_hash: _Optional[str] = ...) -> None: ...

class GetInclusionProofRequest(_message.Message):
    __slots__ = ["event_id", "tree_size"]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    tree_size: int
    def __init__(self, event_id: _Optional[str] = ..., tree_size: _Optional[int] = ...) -> None: ...

class GetInclusionProofResponse(_message.Message):
    __slots__ = ["checkpoint", "event_id", "leaf", "leaf_index", "log_id", "proof", "root_hash", "tree_size"]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    LEAF_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    PROOF_FIELD_NUMBER: _ClassVar[int]
    ROOT_HASH_FIELD_NUMBER: _ClassVar[int]
    TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    checkpoint: Checkpoint
    event_id: str
    leaf: str
    leaf_index: int
    log_id: str
    proof: _containers.RepeatedScalarFieldContainer[str]
    root_hash: str
    tree_size: int
    def __init__(self, event_id: _Optional[str] = ..., log_id: _Optional[str] = ..., leaf_index: _Optional[int] = ..., tree_size: _Optional[int] = ..., leaf: _Optional[str] = ..., proof: _Optional[_Iterable[str]] = ..., root_hash: _Optional[str] = ..., checkpoint: _Optional[_Union[Checkpoint, _Mapping]] = ...) -> None: ...

class GetLatestCheckpointRequest(_message.Message):
    __slots__ = ["workspace_id"]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ...) -> None: ...

class GetLatestCheckpointResponse(_message.Message):
    __slots__ = ["checkpoint"]
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    checkpoint: Checkpoint
    def __init__(self, checkpoint: _Optional[_Union[Checkpoint, _Mapping]] = ...) -> None: ...

class ListCheckpointsRequest(_message.Message):
    __slots__ = ["from_tree_size", "limit", "workspace_id"]
    FROM_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    from_tree_size: int
    limit: int
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., from_tree_size: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListCheckpointsResponse(_message.Message):
    __slots__ = ["checkpoints"]
    CHECKPOINTS_FIELD_NUMBER: _ClassVar[int]
    checkpoints: _containers.RepeatedCompositeFieldContainer[Checkpoint]
    def __init__(self, checkpoints: _Optional[_Iterable[_Union[Checkpoint, _Mapping]]] = ...) -> None: ...

class ListSigningKeysRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListSigningKeysResponse(_message.Message):
    __slots__ = ["keys"]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[SigningKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[SigningKey, _Mapping]]] = ...) -> None: ...

class SigningKey(_message.Message):
    __slots__ = ["key_id", "name", "valid_from", "valid_until", "verifier_key"]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    VERIFIER_KEY_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    name: str
    valid_from: _timestamp_pb2.Timestamp
    valid_until: _timestamp_pb2.Timestamp
    verifier_key: str
    def __init__(self, name: _Optional[str] = ..., key_id: _Optional[str] = ..., verifier_key: _Optional[str] = ..., valid_from: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., valid_until: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class VerifyRangeRequest(_message.Message):
    __slots__ = ["from_sequence", "to_sequence", "workspace_id"]
    FROM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TO_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    from_sequence: int
    to_sequence: int
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., from_sequence: _Optional[int] = ..., to_sequence: _Optional[int] = ...) -> None: ...

class VerifyRangeResponse(_message.Message):
    __slots__ = ["checkpoints_checked", "events_checked", "fault_detail", "fault_kind", "fault_sequence", "from_sequence", "log_id", "ok", "to_sequence"]
    CHECKPOINTS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    EVENTS_CHECKED_FIELD_NUMBER: _ClassVar[int]
    FAULT_DETAIL_FIELD_NUMBER: _ClassVar[int]
    FAULT_KIND_FIELD_NUMBER: _ClassVar[int]
    FAULT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FROM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    TO_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    checkpoints_checked: int
    events_checked: int
    fault_detail: str
    fault_kind: FaultKind
    fault_sequence: int
    from_sequence: int
    log_id: str
    ok: bool
    to_sequence: int
    def __init__(self, ok: bool = ..., log_id: _Optional[str] = ..., from_sequence: _Optional[int] = ..., to_sequence: _Optional[int] = ..., events_checked: _Optional[int] = ..., checkpoints_checked: _Optional[int] = ..., fault_sequence: _Optional[int] = ..., fault_kind: _Optional[_Union[FaultKind, str]] = ..., fault_detail: _Optional[str] = ...) -> None: ...

class FaultKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
