from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.search_result import SearchResult





T = TypeVar("T", bound="KnowledgeBaseSearchAnswer")



@_attrs_define
class KnowledgeBaseSearchAnswer:
    """ 
        Attributes:
            knowledge_base_id (str):
            query (str):
            k (int):
            model (str):
            searched_chunks (int):
            results (list[SearchResult]):
     """

    knowledge_base_id: str
    query: str
    k: int
    model: str
    searched_chunks: int
    results: list[SearchResult]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.search_result import SearchResult # noqa: PLC0415
        knowledge_base_id = self.knowledge_base_id

        query = self.query

        k = self.k

        model = self.model

        searched_chunks = self.searched_chunks

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "knowledge_base_id": knowledge_base_id,
            "query": query,
            "k": k,
            "model": model,
            "searched_chunks": searched_chunks,
            "results": results,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.search_result import SearchResult # noqa: PLC0415
        d = dict(src_dict)
        knowledge_base_id = d.pop("knowledge_base_id")

        query = d.pop("query")

        k = d.pop("k")

        model = d.pop("model")

        searched_chunks = d.pop("searched_chunks")

        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = SearchResult.from_dict(results_item_data)



            results.append(results_item)


        knowledge_base_search_answer = cls(
            knowledge_base_id=knowledge_base_id,
            query=query,
            k=k,
            model=model,
            searched_chunks=searched_chunks,
            results=results,
        )


        knowledge_base_search_answer.additional_properties = d
        return knowledge_base_search_answer

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
