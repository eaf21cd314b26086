from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mode_enum import ModeEnum
from ..models.period_enum import PeriodEnum
from typing import cast
import datetime






T = TypeVar("T", bound="Budget")



@_attrs_define
class Budget:
    """ 
        Attributes:
            id (int):
            label (str): Period and scope, e.g. month/service=openai_chat.
            entity_id (str):
            service_type (None | str):
            task_kind (None | str):
            amount_usd (float):
            period (PeriodEnum): * `day` - day
                * `month` - month
                * `none` - none
            mode (ModeEnum): * `hard` - hard
                * `soft` - soft
            soft_threshold_percent (int):
            period_start (datetime.datetime):
            period_end (datetime.datetime | None): Null: a fixed total.
            spent_usd (float):
            reserved_usd (float): Estimates of the entity's pending and running tasks.
            remaining_usd (float): amount - spent in the period - reserved.
            used_percent (float):
     """

    id: int
    label: str
    entity_id: str
    service_type: None | str
    task_kind: None | str
    amount_usd: float
    period: PeriodEnum
    mode: ModeEnum
    soft_threshold_percent: int
    period_start: datetime.datetime
    period_end: datetime.datetime | None
    spent_usd: float
    reserved_usd: float
    remaining_usd: float
    used_percent: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        label = self.label

        entity_id = self.entity_id

        service_type: None | str
        service_type = self.service_type

        task_kind: None | str
        task_kind = self.task_kind

        amount_usd = self.amount_usd

        period = self.period.value

        mode = self.mode.value

        soft_threshold_percent = self.soft_threshold_percent

        period_start = self.period_start.isoformat()

        period_end: None | str
        if isinstance(self.period_end, datetime.datetime):
            period_end = self.period_end.isoformat()
        else:
            period_end = self.period_end

        spent_usd = self.spent_usd

        reserved_usd = self.reserved_usd

        remaining_usd = self.remaining_usd

        used_percent = self.used_percent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "label": label,
            "entity_id": entity_id,
            "service_type": service_type,
            "task_kind": task_kind,
            "amount_usd": amount_usd,
            "period": period,
            "mode": mode,
            "soft_threshold_percent": soft_threshold_percent,
            "period_start": period_start,
            "period_end": period_end,
            "spent_usd": spent_usd,
            "reserved_usd": reserved_usd,
            "remaining_usd": remaining_usd,
            "used_percent": used_percent,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        label = d.pop("label")

        entity_id = d.pop("entity_id")

        def _parse_service_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        service_type = _parse_service_type(d.pop("service_type"))


        def _parse_task_kind(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_kind = _parse_task_kind(d.pop("task_kind"))


        amount_usd = d.pop("amount_usd")

        period = PeriodEnum(d.pop("period"))




        mode = ModeEnum(d.pop("mode"))




        soft_threshold_percent = d.pop("soft_threshold_percent")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))




        def _parse_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_end_type_0 = datetime.datetime.fromisoformat(data)



                return period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        period_end = _parse_period_end(d.pop("period_end"))


        spent_usd = d.pop("spent_usd")

        reserved_usd = d.pop("reserved_usd")

        remaining_usd = d.pop("remaining_usd")

        used_percent = d.pop("used_percent")

        budget = cls(
            id=id,
            label=label,
            entity_id=entity_id,
            service_type=service_type,
            task_kind=task_kind,
            amount_usd=amount_usd,
            period=period,
            mode=mode,
            soft_threshold_percent=soft_threshold_percent,
            period_start=period_start,
            period_end=period_end,
            spent_usd=spent_usd,
            reserved_usd=reserved_usd,
            remaining_usd=remaining_usd,
            used_percent=used_percent,
        )


        budget.additional_properties = d
        return budget

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
