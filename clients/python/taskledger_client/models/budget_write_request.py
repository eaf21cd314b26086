from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.mode_enum import ModeEnum
from ..models.period_enum import PeriodEnum
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BudgetWriteRequest")



@_attrs_define
class BudgetWriteRequest:
    """ One budget of `PUT /entities/{id}/budgets`.

        Attributes:
            amount_usd (float):
            period (PeriodEnum | Unset): * `day` - day
                * `month` - month
                * `none` - none Default: PeriodEnum.MONTH.
            mode (ModeEnum | Unset): * `hard` - hard
                * `soft` - soft Default: ModeEnum.HARD.
            soft_threshold_percent (int | Unset):  Default: 80.
            service_type (None | str | Unset): Narrow to one service, e.g. openai_chat. Default: ''.
            task_kind (None | str | Unset): Narrow to one task kind, e.g. article.analyze. Default: ''.
     """

    amount_usd: float
    period: PeriodEnum | Unset = PeriodEnum.MONTH
    mode: ModeEnum | Unset = ModeEnum.HARD
    soft_threshold_percent: int | Unset = 80
    service_type: None | str | Unset = ''
    task_kind: None | str | Unset = ''
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount_usd = self.amount_usd

        period: str | Unset = UNSET
        if not isinstance(self.period, Unset):
            period = self.period.value


        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value


        soft_threshold_percent = self.soft_threshold_percent

        service_type: None | str | Unset
        if isinstance(self.service_type, Unset):
            service_type = UNSET
        else:
            service_type = self.service_type

        task_kind: None | str | Unset
        if isinstance(self.task_kind, Unset):
            task_kind = UNSET
        else:
            task_kind = self.task_kind


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount_usd": amount_usd,
        })
        if period is not UNSET:
            field_dict["period"] = period
        if mode is not UNSET:
            field_dict["mode"] = mode
        if soft_threshold_percent is not UNSET:
            field_dict["soft_threshold_percent"] = soft_threshold_percent
        if service_type is not UNSET:
            field_dict["service_type"] = service_type
        if task_kind is not UNSET:
            field_dict["task_kind"] = task_kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount_usd = d.pop("amount_usd")

        _period = d.pop("period", UNSET)
        period: PeriodEnum | Unset
        if isinstance(_period,  Unset):
            period = UNSET
        else:
            period = PeriodEnum(_period)




        _mode = d.pop("mode", UNSET)
        mode: ModeEnum | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = ModeEnum(_mode)




        soft_threshold_percent = d.pop("soft_threshold_percent", UNSET)

        def _parse_service_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_type = _parse_service_type(d.pop("service_type", UNSET))


        def _parse_task_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_kind = _parse_task_kind(d.pop("task_kind", UNSET))


        budget_write_request = cls(
            amount_usd=amount_usd,
            period=period,
            mode=mode,
            soft_threshold_percent=soft_threshold_percent,
            service_type=service_type,
            task_kind=task_kind,
        )


        budget_write_request.additional_properties = d
        return budget_write_request

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
