from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.api.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EXPORT_FORMAT_CSV: ExportFormat
EXPORT_FORMAT_JSONL: ExportFormat
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_SOURCE_ARCHIVED: ExportSource
EXPORT_SOURCE_HOT: ExportSource
EXPORT_SOURCE_HOT_AND_ARCHIVED: ExportSource
EXPORT_SOURCE_UNSPECIFIED: ExportSource
JOB_STATUS_CANCELLED: JobStatus
JOB_STATUS_COMPLETED: JobStatus
JOB_STATUS_FAILED: JobStatus
JOB_STATUS_PENDING: JobStatus
JOB_STATUS_PROCESSING: JobStatus
JOB_STATUS_UNSPECIFIED: JobStatus

class CancelJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class CancelJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class CreateExportRequest(_message.Message):
    __slots__ = ["filter", "format", "limit", "source"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    filter: _events_pb2.EventFilter
    format: ExportFormat
    limit: int
    source: ExportSource
    def __init__(self, source: _Optional[_Union[ExportSource, str]] = ..., format: _Optional[_Union[ExportFormat, str]] = ..., filter: _Optional[_Union[_events_pb2.EventFilter, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class CreateExportResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class ExportFile(_message.Message):
    __slots__ = ["available", "bytes", "download_url", "file_expires_at", "object_key", "row_count", "sha256", "url_expires_at"]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_URL_FIELD_NUMBER: _ClassVar[int]
    FILE_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    OBJECT_KEY_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    URL_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    available: bool
    bytes: int
    download_url: str
    file_expires_at: _timestamp_pb2.Timestamp
    object_key: str
    row_count: int
    sha256: str
    url_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, object_key: _Optional[str] = ..., row_count: _Optional[int] = ..., bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., download_url: _Optional[str] = ..., url_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., file_expires_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., available: bool = ...) -> None: ...

class GetExportRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetExportResponse(_message.Message):
    __slots__ = ["file", "format", "job", "source"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    JOB_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    file: ExportFile
    format: ExportFormat
    job: Job
    source: ExportSource
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., source: _Optional[_Union[ExportSource, str]] = ..., format: _Optional[_Union[ExportFormat, str]] = ..., file: _Optional[_Union[ExportFile, _Mapping]] = ...) -> None: ...

class GetJobRequest(_message.Message):
    __slots__ = ["job_id"]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetJobResponse(_message.Message):
    __slots__ = ["job"]
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ["attempts", "company_id", "created_at", "error", "finished_at", "id", "max_attempts", "params", "progress_done", "progress_total", "requested_by_key_id", "result", "started_at", "status", "timeout_ms", "type", "workspace_id"]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    COMPANY_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_DONE_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_TOTAL_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_BY_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_ID_FIELD_NUMBER: _ClassVar[int]
    attempts: int
    company_id: str
    created_at: _timestamp_pb2.Timestamp
    error: str
    finished_at: _timestamp_pb2.Timestamp
    id: str
    max_attempts: int
    params: _struct_pb2.Struct
    progress_done: int
    progress_total: int
    requested_by_key_id: str
    result: _struct_pb2.Struct
    started_at: _timestamp_pb2.Timestamp
    status: JobStatus
    timeout_ms: int
    type: str
    workspace_id: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[_Union[JobStatus, str]] = ..., company_id: _Optional[str] = ..., workspace_id: _Optional[str] = ..., attempts: _Optional[int] = ..., max_attempts: _Optional[int] = ..., timeout_ms: _Optional[int] = ..., progress_done: _Optional[int] = ..., progress_total: _Optional[int] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., result: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., error: _Optional[str] = ..., requested_by_key_id: _Optional[str] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ["cursor", "limit", "status", "type"]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    limit: int
    status: JobStatus
    type: str
    def __init__(self, status: _Optional[_Union[JobStatus, str]] = ..., type: _Optional[str] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ["jobs", "next_cursor"]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    next_cursor: str
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class ExportSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class JobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
