from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CostModelLine")



@_attrs_define
class CostModelLine:
    """ 
        Attributes:
            index_id (int):
            index_code (str):
            index_name (str):
            part (float): Percent of the cost.
     """

    index_id: int
    index_code: str
    index_name: str
    part: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        index_id = self.index_id

        index_code = self.index_code

        index_name = self.index_name

        part = self.part


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index_id": index_id,
            "index_code": index_code,
            "index_name": index_name,
            "part": part,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index_id = d.pop("index_id")

        index_code = d.pop("index_code")

        index_name = d.pop("index_name")

        part = d.pop("part")

        cost_model_line = cls(
            index_id=index_id,
            index_code=index_code,
            index_name=index_name,
            part=part,
        )


        cost_model_line.additional_properties = d
        return cost_model_line

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
