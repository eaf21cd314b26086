from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="EmbeddingTaskCreateRequest")



@_attrs_define
class EmbeddingTaskCreateRequest:
    """ An embedding task's create body; the service checks content, priority and ids.

        Attributes:
            content (str):
            document_id (None | str | Unset):
            knowledge_base_id (None | str | Unset):
            entity_id (None | str | Unset):
            metadata (Any | Unset):
            priority (str | Unset):  Default: 'normal'.
     """

    content: str
    document_id: None | str | Unset = UNSET
    knowledge_base_id: None | str | Unset = UNSET
    entity_id: None | str | Unset = UNSET
    metadata: Any | Unset = UNSET
    priority: str | Unset = 'normal'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        content = self.content

        document_id: None | str | Unset
        if isinstance(self.document_id, Unset):
            document_id = UNSET
        else:
            document_id = self.document_id

        knowledge_base_id: None | str | Unset
        if isinstance(self.knowledge_base_id, Unset):
            knowledge_base_id = UNSET
        else:
            knowledge_base_id = self.knowledge_base_id

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        metadata = self.metadata

        priority = self.priority


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "content": content,
        })
        if document_id is not UNSET:
            field_dict["document_id"] = document_id
        if knowledge_base_id is not UNSET:
            field_dict["knowledge_base_id"] = knowledge_base_id
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if priority is not UNSET:
            field_dict["priority"] = priority

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content = d.pop("content")

        def _parse_document_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_id = _parse_document_id(d.pop("document_id", UNSET))


        def _parse_knowledge_base_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        knowledge_base_id = _parse_knowledge_base_id(d.pop("knowledge_base_id", UNSET))


        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        metadata = d.pop("metadata", UNSET)

        priority = d.pop("priority", UNSET)

        embedding_task_create_request = cls(
            content=content,
            document_id=document_id,
            knowledge_base_id=knowledge_base_id,
            entity_id=entity_id,
            metadata=metadata,
            priority=priority,
        )


        embedding_task_create_request.additional_properties = d
        return embedding_task_create_request

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
