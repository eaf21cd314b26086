from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.budget_exceeded import BudgetExceeded
  from ..models.estimate_breakdown_by_service import EstimateBreakdownByService
  from ..models.estimate_line import EstimateLine





T = TypeVar("T", bound="Estimate")



@_attrs_define
class Estimate:
    """ What a creating request would cost (`POST /estimate`, `?dry_run=1`); nothing queued.

        Attributes:
            dry_run (bool):
            entity_id (None | str):
            kind (str):
            estimated_cost_usd (float):
            breakdown_by_service (EstimateBreakdownByService):
            lines (list[EstimateLine]):
            allowed (bool): Whether the entity's hard budgets would accept it now.
            refusal (BudgetExceeded | None): The 402 it would answer.
     """

    dry_run: bool
    entity_id: None | str
    kind: str
    estimated_cost_usd: float
    breakdown_by_service: EstimateBreakdownByService
    lines: list[EstimateLine]
    allowed: bool
    refusal: BudgetExceeded | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.budget_exceeded import BudgetExceeded # noqa: PLC0415
        from ..models.estimate_breakdown_by_service import EstimateBreakdownByService # noqa: PLC0415
        from ..models.estimate_line import EstimateLine # noqa: PLC0415
        dry_run = self.dry_run

        entity_id: None | str
        entity_id = self.entity_id

        kind = self.kind

        estimated_cost_usd = self.estimated_cost_usd

        breakdown_by_service = self.breakdown_by_service.to_dict()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)



        allowed = self.allowed

        refusal: dict[str, Any] | None
        if isinstance(self.refusal, BudgetExceeded):
            refusal = self.refusal.to_dict()
        else:
            refusal = self.refusal


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "dry_run": dry_run,
            "entity_id": entity_id,
            "kind": kind,
            "estimated_cost_usd": estimated_cost_usd,
            "breakdown_by_service": breakdown_by_service,
            "lines": lines,
            "allowed": allowed,
            "refusal": refusal,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_exceeded import BudgetExceeded # noqa: PLC0415
        from ..models.estimate_breakdown_by_service import EstimateBreakdownByService # noqa: PLC0415
        from ..models.estimate_line import EstimateLine # noqa: PLC0415
        d = dict(src_dict)
        dry_run = d.pop("dry_run")

        def _parse_entity_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entity_id = _parse_entity_id(d.pop("entity_id"))


        kind = d.pop("kind")

        estimated_cost_usd = d.pop("estimated_cost_usd")

        breakdown_by_service = EstimateBreakdownByService.from_dict(d.pop("breakdown_by_service"))




        lines = []
        _lines = d.pop("lines")
        for lines_item_data in (_lines):
            lines_item = EstimateLine.from_dict(lines_item_data)



            lines.append(lines_item)


        allowed = d.pop("allowed")

        def _parse_refusal(data: object) -> BudgetExceeded | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refusal_type_1 = BudgetExceeded.from_dict(data)



                return refusal_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BudgetExceeded | None, data)

        refusal = _parse_refusal(d.pop("refusal"))


        estimate = cls(
            dry_run=dry_run,
            entity_id=entity_id,
            kind=kind,
            estimated_cost_usd=estimated_cost_usd,
            breakdown_by_service=breakdown_by_service,
            lines=lines,
            allowed=allowed,
            refusal=refusal,
        )


        estimate.additional_properties = d
        return estimate

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
