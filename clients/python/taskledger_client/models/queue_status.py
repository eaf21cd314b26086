from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.queue_status_queue_by_priority import QueueStatusQueueByPriority
  from ..models.queue_status_status_counts import QueueStatusStatusCounts





T = TypeVar("T", bound="QueueStatus")



@_attrs_define
class QueueStatus:
    """ 
        Attributes:
            queue_size (int): Pending tasks.
            status_counts (QueueStatusStatusCounts): Visible tasks per status.
            max_concurrent_tasks (int):
            active_tasks (int): Tasks processing now.
            queue_by_priority (QueueStatusQueueByPriority): Pending tasks per priority.
     """

    queue_size: int
    status_counts: QueueStatusStatusCounts
    max_concurrent_tasks: int
    active_tasks: int
    queue_by_priority: QueueStatusQueueByPriority
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.queue_status_queue_by_priority import QueueStatusQueueByPriority # noqa: PLC0415
        from ..models.queue_status_status_counts import QueueStatusStatusCounts # noqa: PLC0415
        queue_size = self.queue_size

        status_counts = self.status_counts.to_dict()

        max_concurrent_tasks = self.max_concurrent_tasks

        active_tasks = self.active_tasks

        queue_by_priority = self.queue_by_priority.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "queue_size": queue_size,
            "status_counts": status_counts,
            "max_concurrent_tasks": max_concurrent_tasks,
            "active_tasks": active_tasks,
            "queue_by_priority": queue_by_priority,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.queue_status_queue_by_priority import QueueStatusQueueByPriority # noqa: PLC0415
        from ..models.queue_status_status_counts import QueueStatusStatusCounts # noqa: PLC0415
        d = dict(src_dict)
        queue_size = d.pop("queue_size")

        status_counts = QueueStatusStatusCounts.from_dict(d.pop("status_counts"))




        max_concurrent_tasks = d.pop("max_concurrent_tasks")

        active_tasks = d.pop("active_tasks")

        queue_by_priority = QueueStatusQueueByPriority.from_dict(d.pop("queue_by_priority"))




        queue_status = cls(
            queue_size=queue_size,
            status_counts=status_counts,
            max_concurrent_tasks=max_concurrent_tasks,
            active_tasks=active_tasks,
            queue_by_priority=queue_by_priority,
        )


        queue_status.additional_properties = d
        return queue_status

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
