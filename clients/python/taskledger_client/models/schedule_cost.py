from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.schedule_cost_breakdown_by_service import ScheduleCostBreakdownByService





T = TypeVar("T", bound="ScheduleCost")



@_attrs_define
class ScheduleCost:
    """ For the schema: a task cost's fields, over a schedule's runs in a window.

        Attributes:
            schedule_id (str):
            since (datetime.datetime):
            until (datetime.datetime):
            run_count (int):
            total_cost_usd (float):
            period_start (datetime.datetime | None):
            period_end (datetime.datetime | None):
            breakdown_by_service (ScheduleCostBreakdownByService):
            request_count (int):
            final (bool):
     """

    schedule_id: str
    since: datetime.datetime
    until: datetime.datetime
    run_count: int
    total_cost_usd: float
    period_start: datetime.datetime | None
    period_end: datetime.datetime | None
    breakdown_by_service: ScheduleCostBreakdownByService
    request_count: int
    final: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_cost_breakdown_by_service import ScheduleCostBreakdownByService # noqa: PLC0415
        schedule_id = self.schedule_id

        since = self.since.isoformat()

        until = self.until.isoformat()

        run_count = self.run_count

        total_cost_usd = self.total_cost_usd

        period_start: None | str
        if isinstance(self.period_start, datetime.datetime):
            period_start = self.period_start.isoformat()
        else:
            period_start = self.period_start

        period_end: None | str
        if isinstance(self.period_end, datetime.datetime):
            period_end = self.period_end.isoformat()
        else:
            period_end = self.period_end

        breakdown_by_service = self.breakdown_by_service.to_dict()

        request_count = self.request_count

        final = self.final


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "schedule_id": schedule_id,
            "since": since,
            "until": until,
            "run_count": run_count,
            "total_cost_usd": total_cost_usd,
            "period_start": period_start,
            "period_end": period_end,
            "breakdown_by_service": breakdown_by_service,
            "request_count": request_count,
            "final": final,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_cost_breakdown_by_service import ScheduleCostBreakdownByService # noqa: PLC0415
        d = dict(src_dict)
        schedule_id = d.pop("schedule_id")

        since = datetime.datetime.fromisoformat(d.pop("since"))




        until = datetime.datetime.fromisoformat(d.pop("until"))




        run_count = d.pop("run_count")

        total_cost_usd = d.pop("total_cost_usd")

        def _parse_period_start(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_start_type_0 = datetime.datetime.fromisoformat(data)



                return period_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        period_start = _parse_period_start(d.pop("period_start"))


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


        breakdown_by_service = ScheduleCostBreakdownByService.from_dict(d.pop("breakdown_by_service"))




        request_count = d.pop("request_count")

        final = d.pop("final")

        schedule_cost = cls(
            schedule_id=schedule_id,
            since=since,
            until=until,
            run_count=run_count,
            total_cost_usd=total_cost_usd,
            period_start=period_start,
            period_end=period_end,
            breakdown_by_service=breakdown_by_service,
            request_count=request_count,
            final=final,
        )


        schedule_cost.additional_properties = d
        return schedule_cost

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
