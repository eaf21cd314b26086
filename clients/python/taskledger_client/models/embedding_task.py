from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.task_status_enum import TaskStatusEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EmbeddingTask")



@_attrs_define
class EmbeddingTask:
    """ An embedding task's progress fields (docs/api.md, Client contract), plus the document's.

        Attributes:
            progress (int): Percent complete, 0-100.
            processed_chunks (int | None):
            total_chunks (int | None):
            created_at (datetime.datetime):
            error_message (None | str):
            retry_count (int):
            priority (str):
            stream_url (str):
            task_id (str | Unset):
            status (TaskStatusEnum | Unset): * `pending` - Pending
                * `processing` - Processing
                * `completed` - Completed
                * `failed` - Failed
                * `cancelled` - Cancelled
            eta (datetime.datetime | None | Unset):
            started_at (datetime.datetime | None | Unset):
            completed_at (datetime.datetime | None | Unset):
            progress_text (str | Unset):
            document_id (None | str | Unset):
            knowledge_base_id (None | str | Unset):
            pages (int | None | Unset):
            chunk_count (int | None | Unset):
     """

    progress: int
    processed_chunks: int | None
    total_chunks: int | None
    created_at: datetime.datetime
    error_message: None | str
    retry_count: int
    priority: str
    stream_url: str
    task_id: str | Unset = UNSET
    status: TaskStatusEnum | Unset = UNSET
    eta: datetime.datetime | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    progress_text: str | Unset = UNSET
    document_id: None | str | Unset = UNSET
    knowledge_base_id: None | str | Unset = UNSET
    pages: int | None | Unset = UNSET
    chunk_count: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        progress = self.progress

        processed_chunks: int | None
        processed_chunks = self.processed_chunks

        total_chunks: int | None
        total_chunks = self.total_chunks

        created_at = self.created_at.isoformat()

        error_message: None | str
        error_message = self.error_message

        retry_count = self.retry_count

        priority = self.priority

        stream_url = self.stream_url

        task_id = self.task_id

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value


        eta: None | str | Unset
        if isinstance(self.eta, Unset):
            eta = UNSET
        elif isinstance(self.eta, datetime.datetime):
            eta = self.eta.isoformat()
        else:
            eta = self.eta

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        progress_text = self.progress_text

        document_id: None | str | Unset
        if isinstance(self.document_id, Unset):
            document_id = UNSET
        else:
            document_id = self.document_id

        knowledge_base_id: None | str | Unset
        if isinstance(self.knowledge_base_id, Unset):
            knowledge_base_id = UNSET
        else:
            knowledge_base_id = self.knowledge_base_id

        pages: int | None | Unset
        if isinstance(self.pages, Unset):
            pages = UNSET
        else:
            pages = self.pages

        chunk_count: int | None | Unset
        if isinstance(self.chunk_count, Unset):
            chunk_count = UNSET
        else:
            chunk_count = self.chunk_count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "progress": progress,
            "processed_chunks": processed_chunks,
            "total_chunks": total_chunks,
            "created_at": created_at,
            "error_message": error_message,
            "retry_count": retry_count,
            "priority": priority,
            "stream_url": stream_url,
        })
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if status is not UNSET:
            field_dict["status"] = status
        if eta is not UNSET:
            field_dict["eta"] = eta
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if progress_text is not UNSET:
            field_dict["progress_text"] = progress_text
        if document_id is not UNSET:
            field_dict["document_id"] = document_id
        if knowledge_base_id is not UNSET:
            field_dict["knowledge_base_id"] = knowledge_base_id
        if pages is not UNSET:
            field_dict["pages"] = pages
        if chunk_count is not UNSET:
            field_dict["chunk_count"] = chunk_count

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        progress = d.pop("progress")

        def _parse_processed_chunks(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        processed_chunks = _parse_processed_chunks(d.pop("processed_chunks"))


        def _parse_total_chunks(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total_chunks = _parse_total_chunks(d.pop("total_chunks"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        retry_count = d.pop("retry_count")

        priority = d.pop("priority")

        stream_url = d.pop("stream_url")

        task_id = d.pop("task_id", UNSET)

        _status = d.pop("status", UNSET)
        status: TaskStatusEnum | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = TaskStatusEnum(_status)




        def _parse_eta(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                eta_type_0 = datetime.datetime.fromisoformat(data)



                return eta_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        eta = _parse_eta(d.pop("eta", UNSET))


        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))


        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))


        progress_text = d.pop("progress_text", UNSET)

        def _parse_document_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_id = _parse_document_id(d.pop("document_id", UNSET))


        def _parse_knowledge_base_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        knowledge_base_id = _parse_knowledge_base_id(d.pop("knowledge_base_id", UNSET))


        def _parse_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pages = _parse_pages(d.pop("pages", UNSET))


        def _parse_chunk_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        chunk_count = _parse_chunk_count(d.pop("chunk_count", UNSET))


        embedding_task = cls(
            progress=progress,
            processed_chunks=processed_chunks,
            total_chunks=total_chunks,
            created_at=created_at,
            error_message=error_message,
            retry_count=retry_count,
            priority=priority,
            stream_url=stream_url,
            task_id=task_id,
            status=status,
            eta=eta,
            started_at=started_at,
            completed_at=completed_at,
            progress_text=progress_text,
            document_id=document_id,
            knowledge_base_id=knowledge_base_id,
            pages=pages,
            chunk_count=chunk_count,
        )


        embedding_task.additional_properties = d
        return embedding_task

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
