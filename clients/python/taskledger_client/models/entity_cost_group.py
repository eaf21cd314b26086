from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.entity_cost_group_quantities import EntityCostGroupQuantities





T = TypeVar("T", bound="EntityCostGroup")



@_attrs_define
class EntityCostGroup:
    """ 
        Attributes:
            key (None | str): A service, a day, a task type or an operation type.
            total_cost_usd (float):
            request_count (int):
            quantities (EntityCostGroupQuantities | Unset): Per unit; group_by=service only.
     """

    key: None | str
    total_cost_usd: float
    request_count: int
    quantities: EntityCostGroupQuantities | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_cost_group_quantities import EntityCostGroupQuantities # noqa: PLC0415
        key: None | str
        key = self.key

        total_cost_usd = self.total_cost_usd

        request_count = self.request_count

        quantities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quantities, Unset):
            quantities = self.quantities.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "key": key,
            "total_cost_usd": total_cost_usd,
            "request_count": request_count,
        })
        if quantities is not UNSET:
            field_dict["quantities"] = quantities

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_cost_group_quantities import EntityCostGroupQuantities # noqa: PLC0415
        d = dict(src_dict)
        def _parse_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key = _parse_key(d.pop("key"))


        total_cost_usd = d.pop("total_cost_usd")

        request_count = d.pop("request_count")

        _quantities = d.pop("quantities", UNSET)
        quantities: EntityCostGroupQuantities | Unset
        if isinstance(_quantities,  Unset):
            quantities = UNSET
        else:
            quantities = EntityCostGroupQuantities.from_dict(_quantities)




        entity_cost_group = cls(
            key=key,
            total_cost_usd=total_cost_usd,
            request_count=request_count,
            quantities=quantities,
        )


        entity_cost_group.additional_properties = d
        return entity_cost_group

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
