from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.task_event import TaskEvent





T = TypeVar("T", bound="TaskEventList")



@_attrs_define
class TaskEventList:
    """ 
        Attributes:
            task_id (str):
            events (list[TaskEvent]):
            last_seq (int): Pass as ?after= to read only newer events.
     """

    task_id: str
    events: list[TaskEvent]
    last_seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_event import TaskEvent # noqa: PLC0415
        task_id = self.task_id

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)



        last_seq = self.last_seq


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "task_id": task_id,
            "events": events,
            "last_seq": last_seq,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_event import TaskEvent # noqa: PLC0415
        d = dict(src_dict)
        task_id = d.pop("task_id")

        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = TaskEvent.from_dict(events_item_data)



            events.append(events_item)


        last_seq = d.pop("last_seq")

        task_event_list = cls(
            task_id=task_id,
            events=events,
            last_seq=last_seq,
        )


        task_event_list.additional_properties = d
        return task_event_list

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
