from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.task import Task





T = TypeVar("T", bound="PaginatedTaskList")



@_attrs_define
class PaginatedTaskList:
    """ 
        Attributes:
            tasks (list[Task]):
            total (int): Items matching, on every page.
            page (int):
            page_size (int):
            next_ (None | str): The neighbouring page's URL; null on the first or last page.
            previous (None | str): The neighbouring page's URL; null on the first or last page.
     """

    tasks: list[Task]
    total: int
    page: int
    page_size: int
    next_: None | str
    previous: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task import Task # noqa: PLC0415
        tasks = []
        for tasks_item_data in self.tasks:
            tasks_item = tasks_item_data.to_dict()
            tasks.append(tasks_item)



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
            "tasks": tasks,
            "total": total,
            "page": page,
            "page_size": page_size,
            "next": next_,
            "previous": previous,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task import Task # noqa: PLC0415
        d = dict(src_dict)
        tasks = []
        _tasks = d.pop("tasks")
        for tasks_item_data in (_tasks):
            tasks_item = Task.from_dict(tasks_item_data)



            tasks.append(tasks_item)


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


        paginated_task_list = cls(
            tasks=tasks,
            total=total,
            page=page,
            page_size=page_size,
            next_=next_,
            previous=previous,
        )


        paginated_task_list.additional_properties = d
        return paginated_task_list

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
