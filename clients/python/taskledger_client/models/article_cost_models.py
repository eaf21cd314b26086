from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.cost_model_line import CostModelLine





T = TypeVar("T", bound="ArticleCostModels")



@_attrs_define
class ArticleCostModels:
    """ 
        Attributes:
            article_id (int):
            cost_models (list[CostModelLine]):
     """

    article_id: int
    cost_models: list[CostModelLine]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.cost_model_line import CostModelLine # noqa: PLC0415
        article_id = self.article_id

        cost_models = []
        for cost_models_item_data in self.cost_models:
            cost_models_item = cost_models_item_data.to_dict()
            cost_models.append(cost_models_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "article_id": article_id,
            "cost_models": cost_models,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost_model_line import CostModelLine # noqa: PLC0415
        d = dict(src_dict)
        article_id = d.pop("article_id")

        cost_models = []
        _cost_models = d.pop("cost_models")
        for cost_models_item_data in (_cost_models):
            cost_models_item = CostModelLine.from_dict(cost_models_item_data)



            cost_models.append(cost_models_item)


        article_cost_models = cls(
            article_id=article_id,
            cost_models=cost_models,
        )


        article_cost_models.additional_properties = d
        return article_cost_models

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
