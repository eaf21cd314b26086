from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.batch_item_status_enum import BatchItemStatusEnum
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="EmbeddingBatchItem")



@_attrs_define
class EmbeddingBatchItem:
    """ 
        Attributes:
            document_id (None | str):
            task_id (None | str):
            status (BatchItemStatusEnum): * `queued` - queued
                * `failed` - failed
            error (str | Unset): Why the item was refused.
            estimated_cost_usd (float | Unset): For a queued item.
     """

    document_id: None | str
    task_id: None | str
    status: BatchItemStatusEnum
    error: str | Unset = UNSET
    estimated_cost_usd: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        document_id: None | str
        document_id = self.document_id

        task_id: None | str
        task_id = self.task_id

        status = self.status.value

        error = self.error

        estimated_cost_usd = self.estimated_cost_usd


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "document_id": document_id,
            "task_id": task_id,
            "status": status,
        })
        if error is not UNSET:
            field_dict["error"] = error
        if estimated_cost_usd is not UNSET:
            field_dict["estimated_cost_usd"] = estimated_cost_usd

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_document_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        document_id = _parse_document_id(d.pop("document_id"))


        def _parse_task_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_id = _parse_task_id(d.pop("task_id"))


        status = BatchItemStatusEnum(d.pop("status"))




        error = d.pop("error", UNSET)

        estimated_cost_usd = d.pop("estimated_cost_usd", UNSET)

        embedding_batch_item = cls(
            document_id=document_id,
            task_id=task_id,
            status=status,
            error=error,
            estimated_cost_usd=estimated_cost_usd,
        )


        embedding_batch_item.additional_properties = d
        return embedding_batch_item

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
