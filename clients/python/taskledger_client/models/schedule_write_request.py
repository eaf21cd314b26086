from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..models.schedule_write_catch_up_policy_enum import ScheduleWriteCatchUpPolicyEnum
from ..models.schedule_write_overlap_policy_enum import ScheduleWriteOverlapPolicyEnum
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.schedule_write_request_params import ScheduleWriteRequestParams





T = TypeVar("T", bound="ScheduleWriteRequest")



@_attrs_define
class ScheduleWriteRequest:
    """ A schedule's fields, checked as a whole: for PATCH the stored values fill the rest.

    Kind, params and priority are checked by the task API's own create serializer, so a
    schedule accepts exactly what creating its task by hand would.

        Attributes:
            name (str):
            kind (str):
            params (ScheduleWriteRequestParams | Unset):
            priority (str | Unset):  Default: 'normal'.
            entity_id (None | str | Unset):
            cron (str | Unset):  Default: ''.
            timezone (str | Unset):  Default: 'UTC'.
            interval_seconds (int | None | Unset):
            start_at (datetime.datetime | None | Unset):
            end_at (datetime.datetime | None | Unset):
            enabled (bool | Unset):  Default: True.
            overlap_policy (ScheduleWriteOverlapPolicyEnum | Unset): * `skip` - skip
                * `allow` - allow
            catch_up_policy (ScheduleWriteCatchUpPolicyEnum | Unset): * `skip` - skip
                * `one` - one
     """

    name: str
    kind: str
    params: ScheduleWriteRequestParams | Unset = UNSET
    priority: str | Unset = 'normal'
    entity_id: None | str | Unset = UNSET
    cron: str | Unset = ''
    timezone: str | Unset = 'UTC'
    interval_seconds: int | None | Unset = UNSET
    start_at: datetime.datetime | None | Unset = UNSET
    end_at: datetime.datetime | None | Unset = UNSET
    enabled: bool | Unset = True
    overlap_policy: ScheduleWriteOverlapPolicyEnum | Unset = UNSET
    catch_up_policy: ScheduleWriteCatchUpPolicyEnum | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_write_request_params import ScheduleWriteRequestParams # noqa: PLC0415
        name = self.name

        kind = self.kind

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        priority = self.priority

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

        cron = self.cron

        timezone = self.timezone

        interval_seconds: int | None | Unset
        if isinstance(self.interval_seconds, Unset):
            interval_seconds = UNSET
        else:
            interval_seconds = self.interval_seconds

        start_at: None | str | Unset
        if isinstance(self.start_at, Unset):
            start_at = UNSET
        elif isinstance(self.start_at, datetime.datetime):
            start_at = self.start_at.isoformat()
        else:
            start_at = self.start_at

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



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "kind": kind,
        })
        if params is not UNSET:
            field_dict["params"] = params
        if priority is not UNSET:
            field_dict["priority"] = priority
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if cron is not UNSET:
            field_dict["cron"] = cron
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if start_at is not UNSET:
            field_dict["start_at"] = start_at
        if end_at is not UNSET:
            field_dict["end_at"] = end_at
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if overlap_policy is not UNSET:
            field_dict["overlap_policy"] = overlap_policy
        if catch_up_policy is not UNSET:
            field_dict["catch_up_policy"] = catch_up_policy

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        from ..models.schedule_write_request_params import ScheduleWriteRequestParams # noqa: PLC0415
        files: types.RequestFiles = []

        files.append(("name", (None, str(self.name).encode(), "text/plain")))



        files.append(("kind", (None, str(self.kind).encode(), "text/plain")))



        if not isinstance(self.params, Unset):
            files.append(("params", (None, json.dumps( self.params.to_dict()).encode(), "application/json")))



        if not isinstance(self.priority, Unset):
            files.append(("priority", (None, str(self.priority).encode(), "text/plain")))



        if not isinstance(self.entity_id, Unset):
            if isinstance(self.entity_id, str):

                files.append(("entity_id", (None, str(self.entity_id).encode(), "text/plain")))
            else:
                files.append(("entity_id", (None, str(self.entity_id).encode(), "text/plain")))


        if not isinstance(self.cron, Unset):
            files.append(("cron", (None, str(self.cron).encode(), "text/plain")))



        if not isinstance(self.timezone, Unset):
            files.append(("timezone", (None, str(self.timezone).encode(), "text/plain")))



        if not isinstance(self.interval_seconds, Unset):
            if isinstance(self.interval_seconds, int):

                files.append(("interval_seconds", (None, str(self.interval_seconds).encode(), "text/plain")))
            else:
                files.append(("interval_seconds", (None, str(self.interval_seconds).encode(), "text/plain")))


        if not isinstance(self.start_at, Unset):
            if isinstance(self.start_at, datetime.datetime):

                files.append(("start_at", (None, self.start_at.isoformat().encode(), "text/plain")))
            else:
                files.append(("start_at", (None, str(self.start_at).encode(), "text/plain")))


        if not isinstance(self.end_at, Unset):
            if isinstance(self.end_at, datetime.datetime):

                files.append(("end_at", (None, self.end_at.isoformat().encode(), "text/plain")))
            else:
                files.append(("end_at", (None, str(self.end_at).encode(), "text/plain")))


        if not isinstance(self.enabled, Unset):
            files.append(("enabled", (None, str(self.enabled).encode(), "text/plain")))



        if not isinstance(self.overlap_policy, Unset):
            files.append(("overlap_policy",  (None, str(self.overlap_policy.value).encode(), "text/plain")))



        if not isinstance(self.catch_up_policy, Unset):
            files.append(("catch_up_policy",  (None, str(self.catch_up_policy.value).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_write_request_params import ScheduleWriteRequestParams # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        kind = d.pop("kind")

        _params = d.pop("params", UNSET)
        params: ScheduleWriteRequestParams | Unset
        if isinstance(_params,  Unset):
            params = UNSET
        else:
            params = ScheduleWriteRequestParams.from_dict(_params)




        priority = d.pop("priority", UNSET)

        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        cron = d.pop("cron", UNSET)

        timezone = d.pop("timezone", UNSET)

        def _parse_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds", UNSET))


        def _parse_start_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_at_type_0 = datetime.datetime.fromisoformat(data)



                return start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_at = _parse_start_at(d.pop("start_at", UNSET))


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
        overlap_policy: ScheduleWriteOverlapPolicyEnum | Unset
        if isinstance(_overlap_policy,  Unset):
            overlap_policy = UNSET
        else:
            overlap_policy = ScheduleWriteOverlapPolicyEnum(_overlap_policy)




        _catch_up_policy = d.pop("catch_up_policy", UNSET)
        catch_up_policy: ScheduleWriteCatchUpPolicyEnum | Unset
        if isinstance(_catch_up_policy,  Unset):
            catch_up_policy = UNSET
        else:
            catch_up_policy = ScheduleWriteCatchUpPolicyEnum(_catch_up_policy)




        schedule_write_request = cls(
            name=name,
            kind=kind,
            params=params,
            priority=priority,
            entity_id=entity_id,
            cron=cron,
            timezone=timezone,
            interval_seconds=interval_seconds,
            start_at=start_at,
            end_at=end_at,
            enabled=enabled,
            overlap_policy=overlap_policy,
            catch_up_policy=catch_up_policy,
        )


        schedule_write_request.additional_properties = d
        return schedule_write_request

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
