from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.service_line import ServiceLine





T = TypeVar("T", bound="RequestRecord")



@_attrs_define
class RequestRecord:
    """ A request record; expects the record's entity to be selected with it.

        Attributes:
            request_id (str):
            task_id (None | str):
            doc_id (None | str):
            operation_type (str):
            endpoint (str):
            method (str):
            error_message (None | str):
            timestamp (datetime.datetime):
            services_used (list[ServiceLine]):
            total_cost_usd (float):
            entity_id (None | str | Unset):
            task_type (str | Unset):
            status_code (int | None | Unset):
            processing_time_ms (float | None | Unset):
            completed_at (datetime.datetime | None | Unset):
     """

    request_id: str
    task_id: None | str
    doc_id: None | str
    operation_type: str
    endpoint: str
    method: str
    error_message: None | str
    timestamp: datetime.datetime
    services_used: list[ServiceLine]
    total_cost_usd: float
    entity_id: None | str | Unset = UNSET
    task_type: str | Unset = UNSET
    status_code: int | None | Unset = UNSET
    processing_time_ms: float | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.service_line import ServiceLine # noqa: PLC0415
        request_id = self.request_id

        task_id: None | str
        task_id = self.task_id

        doc_id: None | str
        doc_id = self.doc_id

        operation_type = self.operation_type

        endpoint = self.endpoint

        method = self.method

        error_message: None | str
        error_message = self.error_message

        timestamp = self.timestamp.isoformat()

        services_used = []
        for services_used_item_data in self.services_used:
            services_used_item = services_used_item_data.to_dict()
            services_used.append(services_used_item)



        total_cost_usd = self.total_cost_usd

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        task_type = self.task_type

        status_code: int | None | Unset
        if isinstance(self.status_code, Unset):
            status_code = UNSET
        else:
            status_code = self.status_code

        processing_time_ms: float | None | Unset
        if isinstance(self.processing_time_ms, Unset):
            processing_time_ms = UNSET
        else:
            processing_time_ms = self.processing_time_ms

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "request_id": request_id,
            "task_id": task_id,
            "doc_id": doc_id,
            "operation_type": operation_type,
            "endpoint": endpoint,
            "method": method,
            "error_message": error_message,
            "timestamp": timestamp,
            "services_used": services_used,
            "total_cost_usd": total_cost_usd,
        })
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if task_type is not UNSET:
            field_dict["task_type"] = task_type
        if status_code is not UNSET:
            field_dict["status_code"] = status_code
        if processing_time_ms is not UNSET:
            field_dict["processing_time_ms"] = processing_time_ms
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_line import ServiceLine # noqa: PLC0415
        d = dict(src_dict)
        request_id = d.pop("request_id")

        def _parse_task_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task_id = _parse_task_id(d.pop("task_id"))


        def _parse_doc_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        doc_id = _parse_doc_id(d.pop("doc_id"))


        operation_type = d.pop("operation_type")

        endpoint = d.pop("endpoint")

        method = d.pop("method")

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        services_used = []
        _services_used = d.pop("services_used")
        for services_used_item_data in (_services_used):
            services_used_item = ServiceLine.from_dict(services_used_item_data)



            services_used.append(services_used_item)


        total_cost_usd = d.pop("total_cost_usd")

        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        task_type = d.pop("task_type", UNSET)

        def _parse_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        status_code = _parse_status_code(d.pop("status_code", UNSET))


        def _parse_processing_time_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        processing_time_ms = _parse_processing_time_ms(d.pop("processing_time_ms", UNSET))


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


        request_record = cls(
            request_id=request_id,
            task_id=task_id,
            doc_id=doc_id,
            operation_type=operation_type,
            endpoint=endpoint,
            method=method,
            error_message=error_message,
            timestamp=timestamp,
            services_used=services_used,
            total_cost_usd=total_cost_usd,
            entity_id=entity_id,
            task_type=task_type,
            status_code=status_code,
            processing_time_ms=processing_time_ms,
            completed_at=completed_at,
        )


        request_record.additional_properties = d
        return request_record

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
