from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CostIndex")



@_attrs_define
class CostIndex:
    """ 
        Attributes:
            id (int):
            code (str):
            name (str):
            unit (str): What the index is quoted in, e.g. EUR/t.
            description (str | Unset):
            is_active (bool | Unset):
     """

    id: int
    code: str
    name: str
    unit: str
    description: str | Unset = UNSET
    is_active: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        code = self.code

        name = self.name

        unit = self.unit

        description = self.description

        is_active = self.is_active


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "code": code,
            "name": name,
            "unit": unit,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        code = d.pop("code")

        name = d.pop("name")

        unit = d.pop("unit")

        description = d.pop("description", UNSET)

        is_active = d.pop("is_active", UNSET)

        cost_index = cls(
            id=id,
            code=code,
            name=name,
            unit=unit,
            description=description,
            is_active=is_active,
        )


        cost_index.additional_properties = d
        return cost_index

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
