from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="EmbeddingMetrics")



@_attrs_define
class EmbeddingMetrics:
    """ 
        Attributes:
            window_minutes (int):
            average_processing_time_seconds (float | None):
            average_end_to_end_time_seconds (float | None):
            queue_depth (int):
            active_tasks (int):
            success_rate (float | None): Percent.
            retry_rate (float | None): Percent.
            throughput_per_minute (float):
            completed (int):
            failed (int):
            cancelled (int):
     """

    window_minutes: int
    average_processing_time_seconds: float | None
    average_end_to_end_time_seconds: float | None
    queue_depth: int
    active_tasks: int
    success_rate: float | None
    retry_rate: float | None
    throughput_per_minute: float
    completed: int
    failed: int
    cancelled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        window_minutes = self.window_minutes

        average_processing_time_seconds: float | None
        average_processing_time_seconds = self.average_processing_time_seconds

        average_end_to_end_time_seconds: float | None
        average_end_to_end_time_seconds = self.average_end_to_end_time_seconds

        queue_depth = self.queue_depth

        active_tasks = self.active_tasks

        success_rate: float | None
        success_rate = self.success_rate

        retry_rate: float | None
        retry_rate = self.retry_rate

        throughput_per_minute = self.throughput_per_minute

        completed = self.completed

        failed = self.failed

        cancelled = self.cancelled


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "window_minutes": window_minutes,
            "average_processing_time_seconds": average_processing_time_seconds,
            "average_end_to_end_time_seconds": average_end_to_end_time_seconds,
            "queue_depth": queue_depth,
            "active_tasks": active_tasks,
            "success_rate": success_rate,
            "retry_rate": retry_rate,
            "throughput_per_minute": throughput_per_minute,
            "completed": completed,
            "failed": failed,
            "cancelled": cancelled,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        window_minutes = d.pop("window_minutes")

        def _parse_average_processing_time_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_processing_time_seconds = _parse_average_processing_time_seconds(d.pop("average_processing_time_seconds"))


        def _parse_average_end_to_end_time_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_end_to_end_time_seconds = _parse_average_end_to_end_time_seconds(d.pop("average_end_to_end_time_seconds"))


        queue_depth = d.pop("queue_depth")

        active_tasks = d.pop("active_tasks")

        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))


        def _parse_retry_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        retry_rate = _parse_retry_rate(d.pop("retry_rate"))


        throughput_per_minute = d.pop("throughput_per_minute")

        completed = d.pop("completed")

        failed = d.pop("failed")

        cancelled = d.pop("cancelled")

        embedding_metrics = cls(
            window_minutes=window_minutes,
            average_processing_time_seconds=average_processing_time_seconds,
            average_end_to_end_time_seconds=average_end_to_end_time_seconds,
            queue_depth=queue_depth,
            active_tasks=active_tasks,
            success_rate=success_rate,
            retry_rate=retry_rate,
            throughput_per_minute=throughput_per_minute,
            completed=completed,
            failed=failed,
            cancelled=cancelled,
        )


        embedding_metrics.additional_properties = d
        return embedding_metrics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
