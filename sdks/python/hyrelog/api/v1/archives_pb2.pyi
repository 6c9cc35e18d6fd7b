from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Archive(_message.Message):
    __slots__ = ["bytes", "checkpoint_tree_size", "cold_at", "created_at", "day", "from_sequence", "id", "log_id", "row_count", "sha256", "storage_class", "to_sequence", "verification_error", "verified_at", "workspace_id"]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    CHECKPOINT_TREE_SIZE_FIELD_NUMBER: _ClassVar[int]
    COLD_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    FROM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LOG_ID_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    STORAGE_CLASS_FIELD_NUMBER: _ClassVar[int]
    TO_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_ERROR_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    bytes: int
    checkpoint_tree_size: int
    cold_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    day: str
    from_sequence: int
    id: str
    log_id: str
    row_count: int
    sha256: str
    storage_class: str
    to_sequence: int
    verification_error: str
    verified_at: _timestamp_pb2.Timestamp
    workspace_id: str
    def __init__(self, id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., log_id: _Optional[str] = ..., day: _Optional[str] = ..., from_sequence: _Optional[int] = ..., to_sequence: _Optional[int] = ..., row_count: _Optional[int] = ..., bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., checkpoint_tree_size: _Optional[int] = ..., storage_class: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., verified_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., verification_error: _Optional[str] = ..., cold_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetArchiveRequest(_message.Message):
    __slots__ = ["archive_id"]
    ARCHIVE_ID_FIELD_NUMBER: _ClassVar[int]
    archive_id: str
    def __init__(self, archive_id: _Optional[str] = ...) -> None: ...

class GetArchiveResponse(_message.Message):
    __slots__ = ["archive", "download_url", "download_url_expires_at"]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_URL_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    archive: Archive
    download_url: str
    download_url_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, archive: _Optional[_Union[Archive, _Mapping]] = ..., download_url: _Optional[str] = ..., download_url_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListArchivesRequest(_message.Message):
    __slots__ = ["cursor", "limit", "workspace_id"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    workspace_id: str
    def __init__(self, workspace_id: _Optional[str] = ..., cursor: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListArchivesResponse(_message.Message):
    __slots__ = ["archives", "next_cursor"]
    ARCHIVES_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    archives: _containers.RepeatedCompositeFieldContainer[Archive]
    next_cursor: str
    def __init__(self, archives: _Optional[_Iterable[_Union[Archive, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...
