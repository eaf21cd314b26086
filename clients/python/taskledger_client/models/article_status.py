from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.processing_status_enum import ProcessingStatusEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ArticleStatus")



@_attrs_define
class ArticleStatus:
    """ The lightweight status clients poll, plus the live step and the task.

        Attributes:
            id (int):
            progress (float | None): Percent complete, 0-100.
            stream_url (None | str):
            processing_status (ProcessingStatusEnum | Unset): * `pending` - Pending
                * `processing` - Processing
                * `completed` - Completed
                * `failed` - Failed
            processing_error (None | str | Unset):
            processing_started_at (datetime.datetime | None | Unset):
            processing_completed_at (datetime.datetime | None | Unset):
            task_id (None | str | Unset):
            progress_text (None | str | Unset):
     """

    id: int
    progress: float | None
    stream_url: None | str
    processing_status: ProcessingStatusEnum | Unset = UNSET
    processing_error: None | str | Unset = UNSET
    processing_started_at: datetime.datetime | None | Unset = UNSET
    processing_completed_at: datetime.datetime | None | Unset = UNSET
    task_id: None | str | Unset = UNSET
    progress_text: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        progress: float | None
        progress = self.progress

        stream_url: None | str
        stream_url = self.stream_url

        processing_status: str | Unset = UNSET
        if not isinstance(self.processing_status, Unset):
            processing_status = self.processing_status.value


        processing_error: None | str | Unset
        if isinstance(self.processing_error, Unset):
            processing_error = UNSET
        else:
            processing_error = self.processing_error

        processing_started_at: None | str | Unset
        if isinstance(self.processing_started_at, Unset):
            processing_started_at = UNSET
        elif isinstance(self.processing_started_at, datetime.datetime):
            processing_started_at = self.processing_started_at.isoformat()
        else:
            processing_started_at = self.processing_started_at

        processing_completed_at: None | str | Unset
        if isinstance(self.processing_completed_at, Unset):
            processing_completed_at = UNSET
        elif isinstance(self.processing_completed_at, datetime.datetime):
            processing_completed_at = self.processing_completed_at.isoformat()
        else:
            processing_completed_at = self.processing_completed_at

        task_id: None | str | Unset
        if isinstance(self.task_id, Unset):
            task_id = UNSET
        else:
            task_id = self.task_id

        progress_text: None | str | Unset
        if isinstance(self.progress_text, Unset):
            progress_text = UNSET
        else:
            progress_text = self.progress_text


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "progress": progress,
            "stream_url": stream_url,
        })
        if processing_status is not UNSET:
            field_dict["processing_status"] = processing_status
        if processing_error is not UNSET:
            field_dict["processing_error"] = processing_error
        if processing_started_at is not UNSET:
            field_dict["processing_started_at"] = processing_started_at
        if processing_completed_at is not UNSET:
            field_dict["processing_completed_at"] = processing_completed_at
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if progress_text is not UNSET:
            field_dict["progress_text"] = progress_text

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))


        def _parse_stream_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stream_url = _parse_stream_url(d.pop("stream_url"))


        _processing_status = d.pop("processing_status", UNSET)
        processing_status: ProcessingStatusEnum | Unset
        if isinstance(_processing_status,  Unset):
            processing_status = UNSET
        else:
            processing_status = ProcessingStatusEnum(_processing_status)




        def _parse_processing_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        processing_error = _parse_processing_error(d.pop("processing_error", UNSET))


        def _parse_processing_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processing_started_at_type_0 = datetime.datetime.fromisoformat(data)



                return processing_started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        processing_started_at = _parse_processing_started_at(d.pop("processing_started_at", UNSET))


        def _parse_processing_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processing_completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return processing_completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        processing_completed_at = _parse_processing_completed_at(d.pop("processing_completed_at", UNSET))


        def _parse_task_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task_id = _parse_task_id(d.pop("task_id", UNSET))


        def _parse_progress_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        progress_text = _parse_progress_text(d.pop("progress_text", UNSET))


        article_status = cls(
            id=id,
            progress=progress,
            stream_url=stream_url,
            processing_status=processing_status,
            processing_error=processing_error,
            processing_started_at=processing_started_at,
            processing_completed_at=processing_completed_at,
            task_id=task_id,
            progress_text=progress_text,
        )


        article_status.additional_properties = d
        return article_status

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
