from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="TaskStatus")



@_attrs_define
class TaskStatus:
    """ A lightweight status, for polling.

        Attributes:
            status (str):
            progress (float): Percent complete, 0-100.
            progress_value (float): Fraction, 0.0-1.0.
            error_message (None | str):
            updated_at (datetime.datetime):
            task_id (str | Unset):
            progress_text (str | Unset):
            eta (datetime.datetime | None | Unset):
            result (Any | Unset):
     """

    status: str
    progress: float
    progress_value: float
    error_message: None | str
    updated_at: datetime.datetime
    task_id: str | Unset = UNSET
    progress_text: str | Unset = UNSET
    eta: datetime.datetime | None | Unset = UNSET
    result: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        status = self.status

        progress = self.progress

        progress_value = self.progress_value

        error_message: None | str
        error_message = self.error_message

        updated_at = self.updated_at.isoformat()

        task_id = self.task_id

        progress_text = self.progress_text

        eta: None | str | Unset
        if isinstance(self.eta, Unset):
            eta = UNSET
        elif isinstance(self.eta, datetime.datetime):
            eta = self.eta.isoformat()
        else:
            eta = self.eta

        result = self.result


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "progress": progress,
            "progress_value": progress_value,
            "error_message": error_message,
            "updated_at": updated_at,
        })
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if progress_text is not UNSET:
            field_dict["progress_text"] = progress_text
        if eta is not UNSET:
            field_dict["eta"] = eta
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        progress = d.pop("progress")

        progress_value = d.pop("progress_value")

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))


        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        task_id = d.pop("task_id", UNSET)

        progress_text = d.pop("progress_text", UNSET)

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


        result = d.pop("result", UNSET)

        task_status = cls(
            status=status,
            progress=progress,
            progress_value=progress_value,
            error_message=error_message,
            updated_at=updated_at,
            task_id=task_id,
            progress_text=progress_text,
            eta=eta,
            result=result,
        )


        task_status.additional_properties = d
        return task_status

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
