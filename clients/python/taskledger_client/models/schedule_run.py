from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.outcome_enum import OutcomeEnum
from ..models.trigger_enum import TriggerEnum
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.task import Task





T = TypeVar("T", bound="ScheduleRun")



@_attrs_define
class ScheduleRun:
    """ 
        Attributes:
            scheduled_for (datetime.datetime): The firing's due time.
            fired_at (datetime.datetime):
            outcome (OutcomeEnum): * `fired` - Fired
                * `skipped` - Skipped
                * `missed` - Missed
                * `error` - Error
            status (str):
            task_id (str):
            task (None | Task):
            trigger (TriggerEnum | Unset): * `schedule` - Schedule
                * `manual` - Manual
            catch_up (bool | Unset):
            missed_count (int | Unset): Missed firings (no cluster ran) this run stands for, its own included: run once for
                all of them, or passed over.
            detail (str | Unset):
     """

    scheduled_for: datetime.datetime
    fired_at: datetime.datetime
    outcome: OutcomeEnum
    status: str
    task_id: str
    task: None | Task
    trigger: TriggerEnum | Unset = UNSET
    catch_up: bool | Unset = UNSET
    missed_count: int | Unset = UNSET
    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task import Task # noqa: PLC0415
        scheduled_for = self.scheduled_for.isoformat()

        fired_at = self.fired_at.isoformat()

        outcome = self.outcome.value

        status = self.status

        task_id = self.task_id

        task: dict[str, Any] | None
        if isinstance(self.task, Task):
            task = self.task.to_dict()
        else:
            task = self.task

        trigger: str | Unset = UNSET
        if not isinstance(self.trigger, Unset):
            trigger = self.trigger.value


        catch_up = self.catch_up

        missed_count = self.missed_count

        detail = self.detail


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "scheduled_for": scheduled_for,
            "fired_at": fired_at,
            "outcome": outcome,
            "status": status,
            "task_id": task_id,
            "task": task,
        })
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if catch_up is not UNSET:
            field_dict["catch_up"] = catch_up
        if missed_count is not UNSET:
            field_dict["missed_count"] = missed_count
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task import Task # noqa: PLC0415
        d = dict(src_dict)
        scheduled_for = datetime.datetime.fromisoformat(d.pop("scheduled_for"))




        fired_at = datetime.datetime.fromisoformat(d.pop("fired_at"))




        outcome = OutcomeEnum(d.pop("outcome"))




        status = d.pop("status")

        task_id = d.pop("task_id")

        def _parse_task(data: object) -> None | Task:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                task_type_1 = Task.from_dict(data)



                return task_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Task, data)

        task = _parse_task(d.pop("task"))


        _trigger = d.pop("trigger", UNSET)
        trigger: TriggerEnum | Unset
        if isinstance(_trigger,  Unset):
            trigger = UNSET
        else:
            trigger = TriggerEnum(_trigger)




        catch_up = d.pop("catch_up", UNSET)

        missed_count = d.pop("missed_count", UNSET)

        detail = d.pop("detail", UNSET)

        schedule_run = cls(
            scheduled_for=scheduled_for,
            fired_at=fired_at,
            outcome=outcome,
            status=status,
            task_id=task_id,
            task=task,
            trigger=trigger,
            catch_up=catch_up,
            missed_count=missed_count,
            detail=detail,
        )


        schedule_run.additional_properties = d
        return schedule_run

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
