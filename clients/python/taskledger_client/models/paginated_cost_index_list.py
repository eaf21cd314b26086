from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.cost_index import CostIndex





T = TypeVar("T", bound="PaginatedCostIndexList")



@_attrs_define
class PaginatedCostIndexList:
    """ 
        Attributes:
            cost_indices (list[CostIndex]):
            total (int): Items matching, on every page.
            page (int):
            page_size (int):
            next_ (None | str): The neighbouring page's URL; null on the first or last page.
            previous (None | str): The neighbouring page's URL; null on the first or last page.
     """

    cost_indices: list[CostIndex]
    total: int
    page: int
    page_size: int
    next_: None | str
    previous: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.cost_index import CostIndex # noqa: PLC0415
        cost_indices = []
        for cost_indices_item_data in self.cost_indices:
            cost_indices_item = cost_indices_item_data.to_dict()
            cost_indices.append(cost_indices_item)



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
            "cost_indices": cost_indices,
            "total": total,
            "page": page,
            "page_size": page_size,
            "next": next_,
            "previous": previous,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost_index import CostIndex # noqa: PLC0415
        d = dict(src_dict)
        cost_indices = []
        _cost_indices = d.pop("cost_indices")
        for cost_indices_item_data in (_cost_indices):
            cost_indices_item = CostIndex.from_dict(cost_indices_item_data)



            cost_indices.append(cost_indices_item)


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


        paginated_cost_index_list = cls(
            cost_indices=cost_indices,
            total=total,
            page=page,
            page_size=page_size,
            next_=next_,
            previous=previous,
        )


        paginated_cost_index_list.additional_properties = d
        return paginated_cost_index_list

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
