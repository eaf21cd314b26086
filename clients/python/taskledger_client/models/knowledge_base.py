from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="KnowledgeBase")



@_attrs_define
class KnowledgeBase:
    """ 
        Attributes:
            knowledge_base_id (str):
            name (str):
            entity_id (str):
            created_at (datetime.datetime):
            document_count (int | None):
     """

    knowledge_base_id: str
    name: str
    entity_id: str
    created_at: datetime.datetime
    document_count: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        knowledge_base_id = self.knowledge_base_id

        name = self.name

        entity_id = self.entity_id

        created_at = self.created_at.isoformat()

        document_count: int | None
        document_count = self.document_count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "knowledge_base_id": knowledge_base_id,
            "name": name,
            "entity_id": entity_id,
            "created_at": created_at,
            "document_count": document_count,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        knowledge_base_id = d.pop("knowledge_base_id")

        name = d.pop("name")

        entity_id = d.pop("entity_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_document_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        document_count = _parse_document_count(d.pop("document_count"))


        knowledge_base = cls(
            knowledge_base_id=knowledge_base_id,
            name=name,
            entity_id=entity_id,
            created_at=created_at,
            document_count=document_count,
        )


        knowledge_base.additional_properties = d
        return knowledge_base

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
