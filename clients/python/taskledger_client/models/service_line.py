from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.service_line_breakdown import ServiceLineBreakdown





T = TypeVar("T", bound="ServiceLine")



@_attrs_define
class ServiceLine:
    """ One `services_used` entry (a costs.lines.ServiceLine).

        Attributes:
            service_type (str):
            cost_usd (float):
            breakdown (ServiceLineBreakdown):
            model (None | str):
            quantity (float):
            unit (str):
            unit_price (float | None):
            unpriced (bool):
     """

    service_type: str
    cost_usd: float
    breakdown: ServiceLineBreakdown
    model: None | str
    quantity: float
    unit: str
    unit_price: float | None
    unpriced: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service_line_breakdown import ServiceLineBreakdown # noqa: PLC0415
        service_type = self.service_type

        cost_usd = self.cost_usd

        breakdown = self.breakdown.to_dict()

        model: None | str
        model = self.model

        quantity = self.quantity

        unit = self.unit

        unit_price: float | None
        unit_price = self.unit_price

        unpriced = self.unpriced


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "service_type": service_type,
            "cost_usd": cost_usd,
            "breakdown": breakdown,
            "model": model,
            "quantity": quantity,
            "unit": unit,
            "unit_price": unit_price,
            "unpriced": unpriced,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_line_breakdown import ServiceLineBreakdown # noqa: PLC0415
        d = dict(src_dict)
        service_type = d.pop("service_type")

        cost_usd = d.pop("cost_usd")

        breakdown = ServiceLineBreakdown.from_dict(d.pop("breakdown"))




        def _parse_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        model = _parse_model(d.pop("model"))


        quantity = d.pop("quantity")

        unit = d.pop("unit")

        def _parse_unit_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unit_price = _parse_unit_price(d.pop("unit_price"))


        unpriced = d.pop("unpriced")

        service_line = cls(
            service_type=service_type,
            cost_usd=cost_usd,
            breakdown=breakdown,
            model=model,
            quantity=quantity,
            unit=unit,
            unit_price=unit_price,
            unpriced=unpriced,
        )


        service_line.additional_properties = d
        return service_line

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
