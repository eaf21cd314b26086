from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.budget import Budget





T = TypeVar("T", bound="BudgetExceeded")



@_attrs_define
class BudgetExceeded:
    """ 402: the work does not fit what a hard budget has left.

        Attributes:
            detail (str):
            code (str): budget_exceeded
            entity_id (str):
            budget (Budget):
            amount_usd (float):
            spent_usd (float):
            reserved_usd (float):
            estimated_cost_usd (float):
            remaining_usd (float):
     """

    detail: str
    code: str
    entity_id: str
    budget: Budget
    amount_usd: float
    spent_usd: float
    reserved_usd: float
    estimated_cost_usd: float
    remaining_usd: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.budget import Budget # noqa: PLC0415
        detail = self.detail

        code = self.code

        entity_id = self.entity_id

        budget = self.budget.to_dict()

        amount_usd = self.amount_usd

        spent_usd = self.spent_usd

        reserved_usd = self.reserved_usd

        estimated_cost_usd = self.estimated_cost_usd

        remaining_usd = self.remaining_usd


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "detail": detail,
            "code": code,
            "entity_id": entity_id,
            "budget": budget,
            "amount_usd": amount_usd,
            "spent_usd": spent_usd,
            "reserved_usd": reserved_usd,
            "estimated_cost_usd": estimated_cost_usd,
            "remaining_usd": remaining_usd,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget import Budget # noqa: PLC0415
        d = dict(src_dict)
        detail = d.pop("detail")

        code = d.pop("code")

        entity_id = d.pop("entity_id")

        budget = Budget.from_dict(d.pop("budget"))




        amount_usd = d.pop("amount_usd")

        spent_usd = d.pop("spent_usd")

        reserved_usd = d.pop("reserved_usd")

        estimated_cost_usd = d.pop("estimated_cost_usd")

        remaining_usd = d.pop("remaining_usd")

        budget_exceeded = cls(
            detail=detail,
            code=code,
            entity_id=entity_id,
            budget=budget,
            amount_usd=amount_usd,
            spent_usd=spent_usd,
            reserved_usd=reserved_usd,
            estimated_cost_usd=estimated_cost_usd,
            remaining_usd=remaining_usd,
        )


        budget_exceeded.additional_properties = d
        return budget_exceeded

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
