from google.protobuf import timestamp_pb2 as _timestamp_pb2
from hyrelog.api.v1 import events_pb2 as _events_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ANALYTICS_GROUP_BY_ACTION: AnalyticsGroupBy
ANALYTICS_GROUP_BY_ACTOR: AnalyticsGroupBy
ANALYTICS_GROUP_BY_CATEGORY: AnalyticsGroupBy
ANALYTICS_GROUP_BY_PROJECT: AnalyticsGroupBy
ANALYTICS_GROUP_BY_UNSPECIFIED: AnalyticsGroupBy
ANALYTICS_GROUP_BY_WORKSPACE: AnalyticsGroupBy
ANALYTICS_INTERVAL_DAY: AnalyticsInterval
ANALYTICS_INTERVAL_HOUR: AnalyticsInterval
ANALYTICS_INTERVAL_UNSPECIFIED: AnalyticsInterval
DESCRIPTOR: _descriptor.FileDescriptor

class CountBucket(_message.Message):
    __slots__ = ["count", "groups", "other", "start"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    count: int
    groups: _containers.RepeatedCompositeFieldContainer[GroupCount]
    other: int
    start: _timestamp_pb2.Timestamp
    def __init__(self, start: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., count: _Optional[int] = ..., groups: _Optional[_Iterable[_Union[GroupCount, _Mapping]]] = ..., other: _Optional[int] = ...) -> None: ...

class CountEventsRequest(_message.Message):
    __slots__ = ["filter", "group_by", "interval", "limit"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    filter: _events_pb2.EventFilter
    group_by: AnalyticsGroupBy
    interval: AnalyticsInterval
    limit: int
    def __init__(self, filter: _Optional[_Union[_events_pb2.EventFilter, _Mapping]] = ..., interval: _Optional[_Union[AnalyticsInterval, str]] = ..., group_by: _Optional[_Union[AnalyticsGroupBy, str]] = ..., limit: _Optional[int] = ...) -> None: ...

class CountEventsResponse(_message.Message):
    __slots__ = ["as_of", "buckets", "group_by", "groups", "groups_exact", "interval", "other", "other_group_max", "pending_events", "to", "total"]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    FROM_FIELD_NUMBER: _ClassVar[int]
    GROUPS_EXACT_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    GROUP_BY_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_FIELD_NUMBER: _ClassVar[int]
    OTHER_FIELD_NUMBER: _ClassVar[int]
    OTHER_GROUP_MAX_FIELD_NUMBER: _ClassVar[int]
    PENDING_EVENTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    as_of: _timestamp_pb2.Timestamp
    buckets: _containers.RepeatedCompositeFieldContainer[CountBucket]
    group_by: AnalyticsGroupBy
    groups: _containers.RepeatedCompositeFieldContainer[GroupCount]
    groups_exact: bool
    interval: AnalyticsInterval
    other: int
    other_group_max: int
    pending_events: int
    to: _timestamp_pb2.Timestamp
    total: int
    def __init__(self, to: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., interval: _Optional[_Union[AnalyticsInterval, str]] = ..., group_by: _Optional[_Union[AnalyticsGroupBy, str]] = ..., buckets: _Optional[_Iterable[_Union[CountBucket, _Mapping]]] = ..., total: _Optional[int] = ..., groups: _Optional[_Iterable[_Union[GroupCount, _Mapping]]] = ..., other: _Optional[int] = ..., as_of: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., pending_events: _Optional[int] = ..., groups_exact: bool = ..., other_group_max: _Optional[int] = ..., **kwargs) -> None: ...

class GroupCount(_message.Message):
    __slots__ = ["count", "key"]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    count: int
    key: str
    def __init__(self, key: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class AnalyticsInterval(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AnalyticsGroupBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
