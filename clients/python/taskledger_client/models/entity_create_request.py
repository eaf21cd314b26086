from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="EntityCreateRequest")



@_attrs_define
class EntityCreateRequest:
    """ `POST /api/entities/`: the entity's own id, a name, and the usernames who belong to it.

        Attributes:
            entity_id (str): e.g. company_123
            name (str | Unset):  Default: ''.
            members (list[str] | Unset): usernames
     """

    entity_id: str
    name: str | Unset = ''
    members: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        entity_id = self.entity_id

        name = self.name

        members: list[str] | Unset = UNSET
        if not isinstance(self.members, Unset):
            members = self.members




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entity_id": entity_id,
        })
        if name is not UNSET:
            field_dict["name"] = name
        if members is not UNSET:
            field_dict["members"] = members

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("entity_id", (None, str(self.entity_id).encode(), "text/plain")))



        if not isinstance(self.name, Unset):
            files.append(("name", (None, str(self.name).encode(), "text/plain")))



        if not isinstance(self.members, Unset):
            for members_item_element in self.members:
                files.append(("members", (None, str(members_item_element).encode(), "text/plain")))





        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        entity_id = d.pop("entity_id")

        name = d.pop("name", UNSET)

        members = cast(list[str], d.pop("members", UNSET))


        entity_create_request = cls(
            entity_id=entity_id,
            name=name,
            members=members,
        )


        entity_create_request.additional_properties = d
        return entity_create_request

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
