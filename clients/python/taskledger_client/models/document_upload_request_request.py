from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.priority_enum import PriorityEnum
from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO






T = TypeVar("T", bound="DocumentUploadRequestRequest")



@_attrs_define
class DocumentUploadRequestRequest:
    """ 
        Attributes:
            file (File): txt, md, csv, html, pdf or docx
            knowledge_base_id (str | Unset):
            priority (PriorityEnum | Unset): * `low` - low
                * `normal` - normal
                * `high` - high
                * `critical` - critical
            metadata (Any | Unset): A JSON object.
     """

    file: File
    knowledge_base_id: str | Unset = UNSET
    priority: PriorityEnum | Unset = UNSET
    metadata: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()


        knowledge_base_id = self.knowledge_base_id

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value


        metadata = self.metadata


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "file": file,
        })
        if knowledge_base_id is not UNSET:
            field_dict["knowledge_base_id"] = knowledge_base_id
        if priority is not UNSET:
            field_dict["priority"] = priority
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))



        if not isinstance(self.knowledge_base_id, Unset):
            files.append(("knowledge_base_id", (None, str(self.knowledge_base_id).encode(), "text/plain")))



        if not isinstance(self.priority, Unset):
            files.append(("priority",  (None, str(self.priority.value).encode(), "text/plain")))



        if not isinstance(self.metadata, Unset):
            files.append(("metadata", (None, str(self.metadata).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = File(
             payload = BytesIO(d.pop("file"))
        )




        knowledge_base_id = d.pop("knowledge_base_id", UNSET)

        _priority = d.pop("priority", UNSET)
        priority: PriorityEnum | Unset
        if isinstance(_priority,  Unset):
            priority = UNSET
        else:
            priority = PriorityEnum(_priority)




        metadata = d.pop("metadata", UNSET)

        document_upload_request_request = cls(
            file=file,
            knowledge_base_id=knowledge_base_id,
            priority=priority,
            metadata=metadata,
        )


        document_upload_request_request.additional_properties = d
        return document_upload_request_request

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
