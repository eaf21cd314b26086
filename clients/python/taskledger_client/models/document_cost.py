from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.document_cost_breakdown_by_service import DocumentCostBreakdownByService





T = TypeVar("T", bound="DocumentCost")



@_attrs_define
class DocumentCost:
    """ The shape of a task's or document's cost (the OpenAPI schema's; the view returns the
    selector's dict as is).

        Attributes:
            total_cost_usd (float):
            period_start (datetime.datetime):
            period_end (datetime.datetime):
            breakdown_by_service (DocumentCostBreakdownByService):
            request_count (int):
            final (bool): True once no record is open and no task of them is pending or processing.
            doc_id (str):
     """

    total_cost_usd: float
    period_start: datetime.datetime
    period_end: datetime.datetime
    breakdown_by_service: DocumentCostBreakdownByService
    request_count: int
    final: bool
    doc_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.document_cost_breakdown_by_service import DocumentCostBreakdownByService # noqa: PLC0415
        total_cost_usd = self.total_cost_usd

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        breakdown_by_service = self.breakdown_by_service.to_dict()

        request_count = self.request_count

        final = self.final

        doc_id = self.doc_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total_cost_usd": total_cost_usd,
            "period_start": period_start,
            "period_end": period_end,
            "breakdown_by_service": breakdown_by_service,
            "request_count": request_count,
            "final": final,
            "doc_id": doc_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_cost_breakdown_by_service import DocumentCostBreakdownByService # noqa: PLC0415
        d = dict(src_dict)
        total_cost_usd = d.pop("total_cost_usd")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))




        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))




        breakdown_by_service = DocumentCostBreakdownByService.from_dict(d.pop("breakdown_by_service"))




        request_count = d.pop("request_count")

        final = d.pop("final")

        doc_id = d.pop("doc_id")

        document_cost = cls(
            total_cost_usd=total_cost_usd,
            period_start=period_start,
            period_end=period_end,
            breakdown_by_service=breakdown_by_service,
            request_count=request_count,
            final=final,
            doc_id=doc_id,
        )


        document_cost.additional_properties = d
        return document_cost

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
