from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.task_cost_estimate_breakdown_by_service import TaskCostEstimateBreakdownByService
  from ..models.task_cost_estimate_estimated_breakdown_by_service_type_0 import TaskCostEstimateEstimatedBreakdownByServiceType0





T = TypeVar("T", bound="TaskCostEstimate")



@_attrs_define
class TaskCostEstimate:
    """ The shape of a task's or document's cost (the OpenAPI schema's; the view returns the
    selector's dict as is).

        Attributes:
            total_cost_usd (float):
            period_start (datetime.datetime):
            period_end (datetime.datetime):
            breakdown_by_service (TaskCostEstimateBreakdownByService):
            request_count (int):
            final (bool): True once no record is open and no task of them is pending or processing.
            task_id (str):
            estimated_cost_usd (float | None): The estimate made when the task was created; null for a kind that costs
                nothing.
            estimated_breakdown_by_service (None | TaskCostEstimateEstimatedBreakdownByServiceType0):
            reserved (bool): Whether the estimate is still held back against the entity's budgets (the task has not ended).
     """

    total_cost_usd: float
    period_start: datetime.datetime
    period_end: datetime.datetime
    breakdown_by_service: TaskCostEstimateBreakdownByService
    request_count: int
    final: bool
    task_id: str
    estimated_cost_usd: float | None
    estimated_breakdown_by_service: None | TaskCostEstimateEstimatedBreakdownByServiceType0
    reserved: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_cost_estimate_breakdown_by_service import TaskCostEstimateBreakdownByService # noqa: PLC0415
        from ..models.task_cost_estimate_estimated_breakdown_by_service_type_0 import TaskCostEstimateEstimatedBreakdownByServiceType0 # noqa: PLC0415
        total_cost_usd = self.total_cost_usd

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        breakdown_by_service = self.breakdown_by_service.to_dict()

        request_count = self.request_count

        final = self.final

        task_id = self.task_id

        estimated_cost_usd: float | None
        estimated_cost_usd = self.estimated_cost_usd

        estimated_breakdown_by_service: dict[str, Any] | None
        if isinstance(self.estimated_breakdown_by_service, TaskCostEstimateEstimatedBreakdownByServiceType0):
            estimated_breakdown_by_service = self.estimated_breakdown_by_service.to_dict()
        else:
            estimated_breakdown_by_service = self.estimated_breakdown_by_service

        reserved = self.reserved


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total_cost_usd": total_cost_usd,
            "period_start": period_start,
            "period_end": period_end,
            "breakdown_by_service": breakdown_by_service,
            "request_count": request_count,
            "final": final,
            "task_id": task_id,
            "estimated_cost_usd": estimated_cost_usd,
            "estimated_breakdown_by_service": estimated_breakdown_by_service,
            "reserved": reserved,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_cost_estimate_breakdown_by_service import TaskCostEstimateBreakdownByService # noqa: PLC0415
        from ..models.task_cost_estimate_estimated_breakdown_by_service_type_0 import TaskCostEstimateEstimatedBreakdownByServiceType0 # noqa: PLC0415
        d = dict(src_dict)
        total_cost_usd = d.pop("total_cost_usd")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))




        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))




        breakdown_by_service = TaskCostEstimateBreakdownByService.from_dict(d.pop("breakdown_by_service"))




        request_count = d.pop("request_count")

        final = d.pop("final")

        task_id = d.pop("task_id")

        def _parse_estimated_cost_usd(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        estimated_cost_usd = _parse_estimated_cost_usd(d.pop("estimated_cost_usd"))


        def _parse_estimated_breakdown_by_service(data: object) -> None | TaskCostEstimateEstimatedBreakdownByServiceType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                estimated_breakdown_by_service_type_0 = TaskCostEstimateEstimatedBreakdownByServiceType0.from_dict(data)



                return estimated_breakdown_by_service_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskCostEstimateEstimatedBreakdownByServiceType0, data)

        estimated_breakdown_by_service = _parse_estimated_breakdown_by_service(d.pop("estimated_breakdown_by_service"))


        reserved = d.pop("reserved")

        task_cost_estimate = cls(
            total_cost_usd=total_cost_usd,
            period_start=period_start,
            period_end=period_end,
            breakdown_by_service=breakdown_by_service,
            request_count=request_count,
            final=final,
            task_id=task_id,
            estimated_cost_usd=estimated_cost_usd,
            estimated_breakdown_by_service=estimated_breakdown_by_service,
            reserved=reserved,
        )


        task_cost_estimate.additional_properties = d
        return task_cost_estimate

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
