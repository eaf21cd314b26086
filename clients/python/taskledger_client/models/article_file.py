from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role_enum import RoleEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ArticleFile")



@_attrs_define
class ArticleFile:
    """ 
        Attributes:
            role (RoleEnum): * `specification` - Specification
                * `drawing` - Drawing
            name (str):
            size (int):
            sha256 (str):
            uploaded_at (datetime.datetime):
            content_type (str | Unset):
     """

    role: RoleEnum
    name: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime
    content_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        role = self.role.value

        name = self.name

        size = self.size

        sha256 = self.sha256

        uploaded_at = self.uploaded_at.isoformat()

        content_type = self.content_type


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "role": role,
            "name": name,
            "size": size,
            "sha256": sha256,
            "uploaded_at": uploaded_at,
        })
        if content_type is not UNSET:
            field_dict["content_type"] = content_type

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        role = RoleEnum(d.pop("role"))




        name = d.pop("name")

        size = d.pop("size")

        sha256 = d.pop("sha256")

        uploaded_at = datetime.datetime.fromisoformat(d.pop("uploaded_at"))




        content_type = d.pop("content_type", UNSET)

        article_file = cls(
            role=role,
            name=name,
            size=size,
            sha256=sha256,
            uploaded_at=uploaded_at,
            content_type=content_type,
        )


        article_file.additional_properties = d
        return article_file

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
