from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.batch_item_status_enum import BatchItemStatusEnum
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TaskBatchItem")



@_attrs_define
class TaskBatchItem:
    """ 
        Attributes:
            task_id (None | str):
            kind (None | str):
            status (BatchItemStatusEnum): * `queued` - queued
                * `failed` - failed
            error (None | str): Why the item was refused.
            estimated_cost_usd (float | Unset): For a queued item.
     """

    task_id: None | str
    kind: None | str
    status: BatchItemStatusEnum
    error: None | str
    estimated_cost_usd: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        task_id: None | str
        task_id = self.task_id

        kind: None | str
        kind = self.kind

        status = self.status.value

        error: None | str
        error = self.error

        estimated_cost_usd = self.estimated_cost_usd


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "task_id": task_id,
            "kind": kind,
            "status": status,
            "error": error,
        })
        if estimated_cost_usd is not UNSET:
            field_dict["estimated_cost_usd"] = estimated_cost_usd

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_task_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_id = _parse_task_id(d.pop("task_id"))


        def _parse_kind(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        kind = _parse_kind(d.pop("kind"))


        status = BatchItemStatusEnum(d.pop("status"))




        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        estimated_cost_usd = d.pop("estimated_cost_usd", UNSET)

        task_batch_item = cls(
            task_id=task_id,
            kind=kind,
            status=status,
            error=error,
            estimated_cost_usd=estimated_cost_usd,
        )


        task_batch_item.additional_properties = d
        return task_batch_item

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
