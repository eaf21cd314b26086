from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.schedule_run import ScheduleRun





T = TypeVar("T", bound="PaginatedScheduleRunList")



@_attrs_define
class PaginatedScheduleRunList:
    """ 
        Attributes:
            runs (list[ScheduleRun]):
            total (int): Items matching, on every page.
            page (int):
            page_size (int):
            next_ (None | str): The neighbouring page's URL; null at either end.
            previous (None | str): The neighbouring page's URL; null at either end.
     """

    runs: list[ScheduleRun]
    total: int
    page: int
    page_size: int
    next_: None | str
    previous: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_run import ScheduleRun # noqa: PLC0415
        runs = []
        for runs_item_data in self.runs:
            runs_item = runs_item_data.to_dict()
            runs.append(runs_item)



        total = self.total

        page = self.page

        page_size = self.page_size

        next_: None | str
        next_ = self.next_

        previous: None | str
        previous = self.previous


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "runs": runs,
            "total": total,
            "page": page,
            "page_size": page_size,
            "next": next_,
            "previous": previous,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_run import ScheduleRun # noqa: PLC0415
        d = dict(src_dict)
        runs = []
        _runs = d.pop("runs")
        for runs_item_data in (_runs):
            runs_item = ScheduleRun.from_dict(runs_item_data)



            runs.append(runs_item)


        total = d.pop("total")

        page = d.pop("page")

        page_size = d.pop("page_size")

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(d.pop("next"))


        def _parse_previous(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous = _parse_previous(d.pop("previous"))


        paginated_schedule_run_list = cls(
            runs=runs,
            total=total,
            page=page,
            page_size=page_size,
            next_=next_,
            previous=previous,
        )


        paginated_schedule_run_list.additional_properties = d
        return paginated_schedule_run_list

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
