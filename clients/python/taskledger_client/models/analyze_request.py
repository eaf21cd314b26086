from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from typing import cast






T = TypeVar("T", bound="AnalyzeRequest")



@_attrs_define
class AnalyzeRequest:
    """ The analyze multipart form, plus the entity to bill and a cache bypass.

    The form's fields are the analysis clients' (docs/api.md, Client contract).

        Attributes:
            article_name (str):
            product_specification (File):
            description (None | str | Unset):
            drawing (File | None | Unset):
            entity_id (None | str | Unset):
            fresh (bool | Unset): Analyse again even if the same specification was analysed before. Default: False.
     """

    article_name: str
    product_specification: File
    description: None | str | Unset = UNSET
    drawing: File | None | Unset = UNSET
    entity_id: None | str | Unset = UNSET
    fresh: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        article_name = self.article_name

        product_specification = self.product_specification.to_tuple()


        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        drawing: FileTypes | None | Unset
        if isinstance(self.drawing, Unset):
            drawing = UNSET
        elif isinstance(self.drawing, File):
            drawing = self.drawing.to_tuple()

        else:
            drawing = self.drawing

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        fresh = self.fresh


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "articleName": article_name,
            "productSpecification": product_specification,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if drawing is not UNSET:
            field_dict["drawing"] = drawing
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if fresh is not UNSET:
            field_dict["fresh"] = fresh

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("articleName", (None, str(self.article_name).encode(), "text/plain")))



        files.append(("productSpecification", self.product_specification.to_tuple()))



        if not isinstance(self.description, Unset):
            if isinstance(self.description, str):

                files.append(("description", (None, str(self.description).encode(), "text/plain")))
            else:
                files.append(("description", (None, str(self.description).encode(), "text/plain")))


        if not isinstance(self.drawing, Unset):
            if isinstance(self.drawing, File):

                files.append(("drawing", self.drawing.to_tuple()))
            else:
                files.append(("drawing", (None, str(self.drawing).encode(), "text/plain")))


        if not isinstance(self.entity_id, Unset):
            if isinstance(self.entity_id, str):

                files.append(("entity_id", (None, str(self.entity_id).encode(), "text/plain")))
            else:
                files.append(("entity_id", (None, str(self.entity_id).encode(), "text/plain")))


        if not isinstance(self.fresh, Unset):
            files.append(("fresh", (None, str(self.fresh).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        article_name = d.pop("articleName")

        product_specification = File(
             payload = BytesIO(d.pop("productSpecification"))
        )




        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_drawing(data: object) -> File | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, bytes):
                    raise TypeError()
                drawing_type_0 = File(
                     payload = BytesIO(data)
                )



                return drawing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(File | None | Unset, data)

        drawing = _parse_drawing(d.pop("drawing", UNSET))


        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        fresh = d.pop("fresh", UNSET)

        analyze_request = cls(
            article_name=article_name,
            product_specification=product_specification,
            description=description,
            drawing=drawing,
            entity_id=entity_id,
            fresh=fresh,
        )


        analyze_request.additional_properties = d
        return analyze_request

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
