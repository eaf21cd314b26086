from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Task")



@_attrs_define
class Task:
    """ The embedding clients' progress fields plus the framework's own (docs/api.md).

        Attributes:
            kind (str):
            status (str):
            priority (str):
            progress (float): Percent complete, 0-100.
            progress_value (float): Fraction, 0.0-1.0.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            error_message (None | str):
            retry_count (int):
            prerequisites (list[str]):
            stream_url (str): The SSE stream of this task.
            task_id (str | Unset):
            progress_text (str | Unset):
            processed_units (int | None | Unset):
            total_units (int | None | Unset):
            eta (datetime.datetime | None | Unset):
            started_at (datetime.datetime | None | Unset):
            completed_at (datetime.datetime | None | Unset):
            attempts (int | Unset):
            max_attempts (int | Unset):
            timeout_seconds (int | Unset):
            cancel_requested (bool | Unset):
            entity_id (None | str | Unset):
            parent_id (None | str | Unset):
            params (Any | Unset):
            metadata (Any | Unset):
            result (Any | Unset):
            q_task_id (str | Unset):
     """

    kind: str
    status: str
    priority: str
    progress: float
    progress_value: float
    created_at: datetime.datetime
    updated_at: datetime.datetime
    error_message: None | str
    retry_count: int
    prerequisites: list[str]
    stream_url: str
    task_id: str | Unset = UNSET
    progress_text: str | Unset = UNSET
    processed_units: int | None | Unset = UNSET
    total_units: int | None | Unset = UNSET
    eta: datetime.datetime | None | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    attempts: int | Unset = UNSET
    max_attempts: int | Unset = UNSET
    timeout_seconds: int | Unset = UNSET
    cancel_requested: bool | Unset = UNSET
    entity_id: None | str | Unset = UNSET
    parent_id: None | str | Unset = UNSET
    params: Any | Unset = UNSET
    metadata: Any | Unset = UNSET
    result: Any | Unset = UNSET
    q_task_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        status = self.status

        priority = self.priority

        progress = self.progress

        progress_value = self.progress_value

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        error_message: None | str
        error_message = self.error_message

        retry_count = self.retry_count

        prerequisites = self.prerequisites



        stream_url = self.stream_url

        task_id = self.task_id

        progress_text = self.progress_text

        processed_units: int | None | Unset
        if isinstance(self.processed_units, Unset):
            processed_units = UNSET
        else:
            processed_units = self.processed_units

        total_units: int | None | Unset
        if isinstance(self.total_units, Unset):
            total_units = UNSET
        else:
            total_units = self.total_units

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

        attempts = self.attempts

        max_attempts = self.max_attempts

        timeout_seconds = self.timeout_seconds

        cancel_requested = self.cancel_requested

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        params = self.params

        metadata = self.metadata

        result = self.result

        q_task_id = self.q_task_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "status": status,
            "priority": priority,
            "progress": progress,
            "progress_value": progress_value,
            "created_at": created_at,
            "updated_at": updated_at,
            "error_message": error_message,
            "retry_count": retry_count,
            "prerequisites": prerequisites,
            "stream_url": stream_url,
        })
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if progress_text is not UNSET:
            field_dict["progress_text"] = progress_text
        if processed_units is not UNSET:
            field_dict["processed_units"] = processed_units
        if total_units is not UNSET:
            field_dict["total_units"] = total_units
        if eta is not UNSET:
            field_dict["eta"] = eta
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if attempts is not UNSET:
            field_dict["attempts"] = attempts
        if max_attempts is not UNSET:
            field_dict["max_attempts"] = max_attempts
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if cancel_requested is not UNSET:
            field_dict["cancel_requested"] = cancel_requested
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if params is not UNSET:
            field_dict["params"] = params
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if result is not UNSET:
            field_dict["result"] = result
        if q_task_id is not UNSET:
            field_dict["q_task_id"] = q_task_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        status = d.pop("status")

        priority = d.pop("priority")

        progress = d.pop("progress")

        progress_value = d.pop("progress_value")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        retry_count = d.pop("retry_count")

        prerequisites = cast(list[str], d.pop("prerequisites"))


        stream_url = d.pop("stream_url")

        task_id = d.pop("task_id", UNSET)

        progress_text = d.pop("progress_text", UNSET)

        def _parse_processed_units(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        processed_units = _parse_processed_units(d.pop("processed_units", UNSET))


        def _parse_total_units(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_units = _parse_total_units(d.pop("total_units", UNSET))


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


        attempts = d.pop("attempts", UNSET)

        max_attempts = d.pop("max_attempts", UNSET)

        timeout_seconds = d.pop("timeout_seconds", UNSET)

        cancel_requested = d.pop("cancel_requested", UNSET)

        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))


        params = d.pop("params", UNSET)

        metadata = d.pop("metadata", UNSET)

        result = d.pop("result", UNSET)

        q_task_id = d.pop("q_task_id", UNSET)

        task = cls(
            kind=kind,
            status=status,
            priority=priority,
            progress=progress,
            progress_value=progress_value,
            created_at=created_at,
            updated_at=updated_at,
            error_message=error_message,
            retry_count=retry_count,
            prerequisites=prerequisites,
            stream_url=stream_url,
            task_id=task_id,
            progress_text=progress_text,
            processed_units=processed_units,
            total_units=total_units,
            eta=eta,
            started_at=started_at,
            completed_at=completed_at,
            attempts=attempts,
            max_attempts=max_attempts,
            timeout_seconds=timeout_seconds,
            cancel_requested=cancel_requested,
            entity_id=entity_id,
            parent_id=parent_id,
            params=params,
            metadata=metadata,
            result=result,
            q_task_id=q_task_id,
        )


        task.additional_properties = d
        return task

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
