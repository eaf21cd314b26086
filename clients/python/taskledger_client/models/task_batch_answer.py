from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.task_batch_item import TaskBatchItem





T = TypeVar("T", bound="TaskBatchAnswer")



@_attrs_define
class TaskBatchAnswer:
    """ 
        Attributes:
            total (int):
            queued (int):
            failed (int):
            tasks (list[TaskBatchItem]):
     """

    total: int
    queued: int
    failed: int
    tasks: list[TaskBatchItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_batch_item import TaskBatchItem # noqa: PLC0415
        total = self.total

        queued = self.queued

        failed = self.failed

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total": total,
            "queued": queued,
            "failed": failed,
            "tasks": tasks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_batch_item import TaskBatchItem # noqa: PLC0415
        d = dict(src_dict)
        total = d.pop("total")

        queued = d.pop("queued")

        failed = d.pop("failed")

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in (_tasks):
            tasks_item = TaskBatchItem.from_dict(tasks_item_data)



            tasks.append(tasks_item)


        task_batch_answer = cls(
            total=total,
            queued=queued,
            failed=failed,
            tasks=tasks,
        )


        task_batch_answer.additional_properties = d
        return task_batch_answer

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
