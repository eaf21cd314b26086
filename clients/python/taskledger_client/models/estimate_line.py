from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="EstimateLine")



@_attrs_define
class EstimateLine:
    """ 
        Attributes:
            service_type (str):
            unit (str):
            model (None | str):
            quantity (float):
            unit_price (float | None):
            cost_usd (float):
            unpriced (bool): No price in force: counted as 0.
     """

    service_type: str
    unit: str
    model: None | str
    quantity: float
    unit_price: float | None
    cost_usd: float
    unpriced: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        service_type = self.service_type

        unit = self.unit

        model: None | str
        model = self.model

        quantity = self.quantity

        unit_price: float | None
        unit_price = self.unit_price

        cost_usd = self.cost_usd

        unpriced = self.unpriced


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_type": service_type,
            "unit": unit,
            "model": model,
            "quantity": quantity,
            "unit_price": unit_price,
            "cost_usd": cost_usd,
            "unpriced": unpriced,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_type = d.pop("service_type")

        unit = d.pop("unit")

        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))


        quantity = d.pop("quantity")

        def _parse_unit_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unit_price = _parse_unit_price(d.pop("unit_price"))


        cost_usd = d.pop("cost_usd")

        unpriced = d.pop("unpriced")

        estimate_line = cls(
            service_type=service_type,
            unit=unit,
            model=model,
            quantity=quantity,
            unit_price=unit_price,
            cost_usd=cost_usd,
            unpriced=unpriced,
        )


        estimate_line.additional_properties = d
        return estimate_line

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
