from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.estimate import Estimate





T = TypeVar("T", bound="BatchEstimateItem")



@_attrs_define
class BatchEstimateItem:
    """ 
        Attributes:
            index (int):
            estimate (Estimate | None):
            error (None | str): Why the item would be refused for its own reasons (as the batch answers it).
     """

    index: int
    estimate: Estimate | None
    error: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.estimate import Estimate # noqa: PLC0415
        index = self.index

        estimate: dict[str, Any] | None
        if isinstance(self.estimate, Estimate):
            estimate = self.estimate.to_dict()
        else:
            estimate = self.estimate

        error: None | str
        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index": index,
            "estimate": estimate,
            "error": error,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.estimate import Estimate # noqa: PLC0415
        d = dict(src_dict)
        index = d.pop("index")

        def _parse_estimate(data: object) -> Estimate | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                estimate_type_1 = Estimate.from_dict(data)



                return estimate_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Estimate | None, data)

        estimate = _parse_estimate(d.pop("estimate"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        batch_estimate_item = cls(
            index=index,
            estimate=estimate,
            error=error,
        )


        batch_estimate_item.additional_properties = d
        return batch_estimate_item

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
