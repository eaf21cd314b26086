from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_type_enum import EventTypeEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="TaskEvent")



@_attrs_define
class TaskEvent:
    """ 
        Attributes:
            seq (int):
            event_type (EventTypeEnum): * `task_started` - Started
                * `progress_update` - Progress
                * `task_completed` - Completed
                * `task_failed` - Failed
                * `task_cancelled` - Cancelled
                * `task_retrying` - Retrying
            created_at (datetime.datetime):
            data (Any | Unset):
     """

    seq: int
    event_type: EventTypeEnum
    created_at: datetime.datetime
    data: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        event_type = self.event_type.value

        created_at = self.created_at.isoformat()

        data = self.data


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "seq": seq,
            "event_type": event_type,
            "created_at": created_at,
        })
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        event_type = EventTypeEnum(d.pop("event_type"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        data = d.pop("data", UNSET)

        task_event = cls(
            seq=seq,
            event_type=event_type,
            created_at=created_at,
            data=data,
        )


        task_event.additional_properties = d
        return task_event

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
