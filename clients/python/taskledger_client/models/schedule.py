from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.schedule_catch_up_policy_enum import ScheduleCatchUpPolicyEnum
from ..models.schedule_overlap_policy_enum import ScheduleOverlapPolicyEnum
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Schedule")



@_attrs_define
class Schedule:
    """ A schedule as the API answers it; `summary` (schedules.selectors.schedule_summaries)
    comes in the context, keyed by the schedule's pk.

        Attributes:
            name (str):
            kind (str):
            priority (str):
            entity_id (str):
            start_at (datetime.datetime):
            last_run_task_id (None | str):
            last_run_status (None | str):
            last_run_cost_usd (float | None):
            cost_last_30_days_usd (float):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            schedule_id (str | Unset):
            params (Any | Unset):
            cron (str | Unset): Five fields: minute hour day-of-month month day-of-week.
            timezone (str | Unset): IANA time zone the cron expression is read in.
            interval_seconds (int | None | Unset): Fire every N seconds from start_at (instead of cron).
            end_at (datetime.datetime | None | Unset):
            enabled (bool | Unset):
            overlap_policy (ScheduleOverlapPolicyEnum | Unset): * `skip` - Skip
                * `allow` - Allow
            catch_up_policy (ScheduleCatchUpPolicyEnum | Unset): * `skip` - Skip
                * `one` - One
            next_run_at (datetime.datetime | None | Unset):
            last_run_at (datetime.datetime | None | Unset):
     """

    name: str
    kind: str
    priority: str
    entity_id: str
    start_at: datetime.datetime
    last_run_task_id: None | str
    last_run_status: None | str
    last_run_cost_usd: float | None
    cost_last_30_days_usd: float
    created_at: datetime.datetime
    updated_at: datetime.datetime
    schedule_id: str | Unset = UNSET
    params: Any | Unset = UNSET
    cron: str | Unset = UNSET
    timezone: str | Unset = UNSET
    interval_seconds: int | None | Unset = UNSET
    end_at: datetime.datetime | None | Unset = UNSET
    enabled: bool | Unset = UNSET
    overlap_policy: ScheduleOverlapPolicyEnum | Unset = UNSET
    catch_up_policy: ScheduleCatchUpPolicyEnum | Unset = UNSET
    next_run_at: datetime.datetime | None | Unset = UNSET
    last_run_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        kind = self.kind

        priority = self.priority

        entity_id = self.entity_id

        start_at = self.start_at.isoformat()

        last_run_task_id: None | str
        last_run_task_id = self.last_run_task_id

        last_run_status: None | str
        last_run_status = self.last_run_status

        last_run_cost_usd: float | None
        last_run_cost_usd = self.last_run_cost_usd

        cost_last_30_days_usd = self.cost_last_30_days_usd

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        schedule_id = self.schedule_id

        params = self.params

        cron = self.cron

        timezone = self.timezone

        interval_seconds: int | None | Unset
        if isinstance(self.interval_seconds, Unset):
            interval_seconds = UNSET
        else:
            interval_seconds = self.interval_seconds

        end_at: None | str | Unset
        if isinstance(self.end_at, Unset):
            end_at = UNSET
        elif isinstance(self.end_at, datetime.datetime):
            end_at = self.end_at.isoformat()
        else:
            end_at = self.end_at

        enabled = self.enabled

        overlap_policy: str | Unset = UNSET
        if not isinstance(self.overlap_policy, Unset):
            overlap_policy = self.overlap_policy.value


        catch_up_policy: str | Unset = UNSET
        if not isinstance(self.catch_up_policy, Unset):
            catch_up_policy = self.catch_up_policy.value


        next_run_at: None | str | Unset
        if isinstance(self.next_run_at, Unset):
            next_run_at = UNSET
        elif isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        last_run_at: None | str | Unset
        if isinstance(self.last_run_at, Unset):
            last_run_at = UNSET
        elif isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "kind": kind,
            "priority": priority,
            "entity_id": entity_id,
            "start_at": start_at,
            "last_run_task_id": last_run_task_id,
            "last_run_status": last_run_status,
            "last_run_cost_usd": last_run_cost_usd,
            "cost_last_30_days_usd": cost_last_30_days_usd,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if schedule_id is not UNSET:
            field_dict["schedule_id"] = schedule_id
        if params is not UNSET:
            field_dict["params"] = params
        if cron is not UNSET:
            field_dict["cron"] = cron
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if end_at is not UNSET:
            field_dict["end_at"] = end_at
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if overlap_policy is not UNSET:
            field_dict["overlap_policy"] = overlap_policy
        if catch_up_policy is not UNSET:
            field_dict["catch_up_policy"] = catch_up_policy
        if next_run_at is not UNSET:
            field_dict["next_run_at"] = next_run_at
        if last_run_at is not UNSET:
            field_dict["last_run_at"] = last_run_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        kind = d.pop("kind")

        priority = d.pop("priority")

        entity_id = d.pop("entity_id")

        start_at = datetime.datetime.fromisoformat(d.pop("start_at"))




        def _parse_last_run_task_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_run_task_id = _parse_last_run_task_id(d.pop("last_run_task_id"))


        def _parse_last_run_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_run_status = _parse_last_run_status(d.pop("last_run_status"))


        def _parse_last_run_cost_usd(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        last_run_cost_usd = _parse_last_run_cost_usd(d.pop("last_run_cost_usd"))


        cost_last_30_days_usd = d.pop("cost_last_30_days_usd")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        schedule_id = d.pop("schedule_id", UNSET)

        params = d.pop("params", UNSET)

        cron = d.pop("cron", UNSET)

        timezone = d.pop("timezone", UNSET)

        def _parse_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds", UNSET))


        def _parse_end_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_at_type_0 = datetime.datetime.fromisoformat(data)



                return end_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_at = _parse_end_at(d.pop("end_at", UNSET))


        enabled = d.pop("enabled", UNSET)

        _overlap_policy = d.pop("overlap_policy", UNSET)
        overlap_policy: ScheduleOverlapPolicyEnum | Unset
        if isinstance(_overlap_policy,  Unset):
            overlap_policy = UNSET
        else:
            overlap_policy = ScheduleOverlapPolicyEnum(_overlap_policy)




        _catch_up_policy = d.pop("catch_up_policy", UNSET)
        catch_up_policy: ScheduleCatchUpPolicyEnum | Unset
        if isinstance(_catch_up_policy,  Unset):
            catch_up_policy = UNSET
        else:
            catch_up_policy = ScheduleCatchUpPolicyEnum(_catch_up_policy)




        def _parse_next_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at", UNSET))


        def _parse_last_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at", UNSET))


        schedule = cls(
            name=name,
            kind=kind,
            priority=priority,
            entity_id=entity_id,
            start_at=start_at,
            last_run_task_id=last_run_task_id,
            last_run_status=last_run_status,
            last_run_cost_usd=last_run_cost_usd,
            cost_last_30_days_usd=cost_last_30_days_usd,
            created_at=created_at,
            updated_at=updated_at,
            schedule_id=schedule_id,
            params=params,
            cron=cron,
            timezone=timezone,
            interval_seconds=interval_seconds,
            end_at=end_at,
            enabled=enabled,
            overlap_policy=overlap_policy,
            catch_up_policy=catch_up_policy,
            next_run_at=next_run_at,
            last_run_at=last_run_at,
        )


        schedule.additional_properties = d
        return schedule

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
