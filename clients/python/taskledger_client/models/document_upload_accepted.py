from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="DocumentUploadAccepted")



@_attrs_define
class DocumentUploadAccepted:
    """ 
        Attributes:
            success (bool):
            task_id (str):
            doc_id (str):
            knowledge_base_id (str):
            status (str):
            stream_url (str):
            message (str):
            estimated_cost_usd (float): The job's estimate, reserved against the entity's budgets.
     """

    success: bool
    task_id: str
    doc_id: str
    knowledge_base_id: str
    status: str
    stream_url: str
    message: str
    estimated_cost_usd: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        success = self.success

        task_id = self.task_id

        doc_id = self.doc_id

        knowledge_base_id = self.knowledge_base_id

        status = self.status

        stream_url = self.stream_url

        message = self.message

        estimated_cost_usd = self.estimated_cost_usd


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "success": success,
            "task_id": task_id,
            "doc_id": doc_id,
            "knowledge_base_id": knowledge_base_id,
            "status": status,
            "stream_url": stream_url,
            "message": message,
            "estimated_cost_usd": estimated_cost_usd,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        success = d.pop("success")

        task_id = d.pop("task_id")

        doc_id = d.pop("doc_id")

        knowledge_base_id = d.pop("knowledge_base_id")

        status = d.pop("status")

        stream_url = d.pop("stream_url")

        message = d.pop("message")

        estimated_cost_usd = d.pop("estimated_cost_usd")

        document_upload_accepted = cls(
            success=success,
            task_id=task_id,
            doc_id=doc_id,
            knowledge_base_id=knowledge_base_id,
            status=status,
            stream_url=stream_url,
            message=message,
            estimated_cost_usd=estimated_cost_usd,
        )


        document_upload_accepted.additional_properties = d
        return document_upload_accepted

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
