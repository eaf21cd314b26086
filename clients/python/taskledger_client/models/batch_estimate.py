from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.batch_estimate_item import BatchEstimateItem





T = TypeVar("T", bound="BatchEstimate")



@_attrs_define
class BatchEstimate:
    """ 
        Attributes:
            dry_run (bool):
            total (int):
            estimated_cost_usd (float):
            tasks (list[BatchEstimateItem]):
     """

    dry_run: bool
    total: int
    estimated_cost_usd: float
    tasks: list[BatchEstimateItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_estimate_item import BatchEstimateItem # noqa: PLC0415
        dry_run = self.dry_run

        total = self.total

        estimated_cost_usd = self.estimated_cost_usd

        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "dry_run": dry_run,
            "total": total,
            "estimated_cost_usd": estimated_cost_usd,
            "tasks": tasks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_estimate_item import BatchEstimateItem # noqa: PLC0415
        d = dict(src_dict)
        dry_run = d.pop("dry_run")

        total = d.pop("total")

        estimated_cost_usd = d.pop("estimated_cost_usd")

        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in (_tasks):
            tasks_item = BatchEstimateItem.from_dict(tasks_item_data)



            tasks.append(tasks_item)


        batch_estimate = cls(
            dry_run=dry_run,
            total=total,
            estimated_cost_usd=estimated_cost_usd,
            tasks=tasks,
        )


        batch_estimate.additional_properties = d
        return batch_estimate

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
