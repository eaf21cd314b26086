from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SearchResult")



@_attrs_define
class SearchResult:
    """ 
        Attributes:
            chunk_id (str):
            document_id (str):
            score (float):
            text (str):
            position (int):
            page (int | None):
            start_char (int):
            end_char (int):
     """

    chunk_id: str
    document_id: str
    score: float
    text: str
    position: int
    page: int | None
    start_char: int
    end_char: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        chunk_id = self.chunk_id

        document_id = self.document_id

        score = self.score

        text = self.text

        position = self.position

        page: int | None
        page = self.page

        start_char = self.start_char

        end_char = self.end_char


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "chunk_id": chunk_id,
            "document_id": document_id,
            "score": score,
            "text": text,
            "position": position,
            "page": page,
            "start_char": start_char,
            "end_char": end_char,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunk_id = d.pop("chunk_id")

        document_id = d.pop("document_id")

        score = d.pop("score")

        text = d.pop("text")

        position = d.pop("position")

        def _parse_page(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        page = _parse_page(d.pop("page"))


        start_char = d.pop("start_char")

        end_char = d.pop("end_char")

        search_result = cls(
            chunk_id=chunk_id,
            document_id=document_id,
            score=score,
            text=text,
            position=position,
            page=page,
            start_char=start_char,
            end_char=end_char,
        )


        search_result.additional_properties = d
        return search_result

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
