from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.format_enum import FormatEnum
from ..models.task_status_enum import TaskStatusEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Document")



@_attrs_define
class Document:
    """ 
        Attributes:
            document_id (str):
            knowledge_base_id (str):
            entity_id (str):
            format_ (FormatEnum): * `txt` - plain text
                * `md` - Markdown
                * `csv` - CSV
                * `html` - HTML
                * `pdf` - PDF
                * `docx` - DOCX
            size (int):
            sha256 (str):
            error_message (None | str):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            task_id (None | str | Unset):
            original_filename (str | Unset):
            content_type (str | Unset):
            pages (int | None | Unset):
            chunk_count (int | Unset):
            status (TaskStatusEnum | Unset): * `pending` - Pending
                * `processing` - Processing
                * `completed` - Completed
                * `failed` - Failed
                * `cancelled` - Cancelled
            metadata (Any | Unset):
     """

    document_id: str
    knowledge_base_id: str
    entity_id: str
    format_: FormatEnum
    size: int
    sha256: str
    error_message: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    task_id: None | str | Unset = UNSET
    original_filename: str | Unset = UNSET
    content_type: str | Unset = UNSET
    pages: int | None | Unset = UNSET
    chunk_count: int | Unset = UNSET
    status: TaskStatusEnum | Unset = UNSET
    metadata: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        document_id = self.document_id

        knowledge_base_id = self.knowledge_base_id

        entity_id = self.entity_id

        format_ = self.format_.value

        size = self.size

        sha256 = self.sha256

        error_message: None | str
        error_message = self.error_message

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        task_id: None | str | Unset
        if isinstance(self.task_id, Unset):
            task_id = UNSET
        else:
            task_id = self.task_id

        original_filename = self.original_filename

        content_type = self.content_type

        pages: int | None | Unset
        if isinstance(self.pages, Unset):
            pages = UNSET
        else:
            pages = self.pages

        chunk_count = self.chunk_count

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        metadata = self.metadata


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "document_id": document_id,
            "knowledge_base_id": knowledge_base_id,
            "entity_id": entity_id,
            "format": format_,
            "size": size,
            "sha256": sha256,
            "error_message": error_message,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if original_filename is not UNSET:
            field_dict["original_filename"] = original_filename
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if pages is not UNSET:
            field_dict["pages"] = pages
        if chunk_count is not UNSET:
            field_dict["chunk_count"] = chunk_count
        if status is not UNSET:
            field_dict["status"] = status
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        document_id = d.pop("document_id")

        knowledge_base_id = d.pop("knowledge_base_id")

        entity_id = d.pop("entity_id")

        format_ = FormatEnum(d.pop("format"))




        size = d.pop("size")

        sha256 = d.pop("sha256")

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_task_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_id = _parse_task_id(d.pop("task_id", UNSET))


        original_filename = d.pop("original_filename", UNSET)

        content_type = d.pop("content_type", UNSET)

        def _parse_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pages = _parse_pages(d.pop("pages", UNSET))


        chunk_count = d.pop("chunk_count", UNSET)

        _status = d.pop("status", UNSET)
        status: TaskStatusEnum | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = TaskStatusEnum(_status)




        metadata = d.pop("metadata", UNSET)

        document = cls(
            document_id=document_id,
            knowledge_base_id=knowledge_base_id,
            entity_id=entity_id,
            format_=format_,
            size=size,
            sha256=sha256,
            error_message=error_message,
            created_at=created_at,
            updated_at=updated_at,
            task_id=task_id,
            original_filename=original_filename,
            content_type=content_type,
            pages=pages,
            chunk_count=chunk_count,
            status=status,
            metadata=metadata,
        )


        document.additional_properties = d
        return document

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
