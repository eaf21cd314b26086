from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.entity_cost_group import EntityCostGroup





T = TypeVar("T", bound="EntityCost")



@_attrs_define
class EntityCost:
    """ 
        Attributes:
            entity_id (str):
            period_start (datetime.datetime): Inclusive.
            period_end (datetime.datetime): Exclusive.
            group_by (str):
            total_cost_usd (float):
            request_count (int):
            groups (list[EntityCostGroup]):
            final (bool): False while a task of the entity created before period_end is still running.
     """

    entity_id: str
    period_start: datetime.datetime
    period_end: datetime.datetime
    group_by: str
    total_cost_usd: float
    request_count: int
    groups: list[EntityCostGroup]
    final: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_cost_group import EntityCostGroup # noqa: PLC0415
        entity_id = self.entity_id

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        group_by = self.group_by

        total_cost_usd = self.total_cost_usd

        request_count = self.request_count

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)



        final = self.final


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "entity_id": entity_id,
            "period_start": period_start,
            "period_end": period_end,
            "group_by": group_by,
            "total_cost_usd": total_cost_usd,
            "request_count": request_count,
            "groups": groups,
            "final": final,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.entity_cost_group import EntityCostGroup # noqa: PLC0415
        d = dict(src_dict)
        entity_id = d.pop("entity_id")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))




        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))




        group_by = d.pop("group_by")

        total_cost_usd = d.pop("total_cost_usd")

        request_count = d.pop("request_count")

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in (_groups):
            groups_item = EntityCostGroup.from_dict(groups_item_data)



            groups.append(groups_item)


        final = d.pop("final")

        entity_cost = cls(
            entity_id=entity_id,
            period_start=period_start,
            period_end=period_end,
            group_by=group_by,
            total_cost_usd=total_cost_usd,
            request_count=request_count,
            groups=groups,
            final=final,
        )


        entity_cost.additional_properties = d
        return entity_cost

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
