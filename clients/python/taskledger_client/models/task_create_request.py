from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.task_create_request_children_item import TaskCreateRequestChildrenItem
  from ..models.task_create_request_metadata import TaskCreateRequestMetadata
  from ..models.task_create_request_params import TaskCreateRequestParams





T = TypeVar("T", bound="TaskCreateRequest")



@_attrs_define
class TaskCreateRequest:
    """ 
        Attributes:
            kind (str):
            params (TaskCreateRequestParams | Unset):
            priority (str | Unset):  Default: 'normal'.
            entity_id (None | str | Unset):
            metadata (TaskCreateRequestMetadata | Unset):
            prerequisites (list[str] | Unset):
            parent_id (None | str | Unset): An open group task this task joins as a child.
            children (list[TaskCreateRequestChildrenItem] | Unset): With kind "group": the children, each a full create
                body.
     """

    kind: str
    params: TaskCreateRequestParams | Unset = UNSET
    priority: str | Unset = 'normal'
    entity_id: None | str | Unset = UNSET
    metadata: TaskCreateRequestMetadata | Unset = UNSET
    prerequisites: list[str] | Unset = UNSET
    parent_id: None | str | Unset = UNSET
    children: list[TaskCreateRequestChildrenItem] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.task_create_request_children_item import TaskCreateRequestChildrenItem # noqa: PLC0415
        from ..models.task_create_request_metadata import TaskCreateRequestMetadata # noqa: PLC0415
        from ..models.task_create_request_params import TaskCreateRequestParams # noqa: PLC0415
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

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        prerequisites: list[str] | Unset = UNSET
        if not isinstance(self.prerequisites, Unset):
            prerequisites = self.prerequisites



        parent_id: None | str | Unset
        if isinstance(self.parent_id, Unset):
            parent_id = UNSET
        else:
            parent_id = self.parent_id

        children: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.children, Unset):
            children = []
            for children_item_data in self.children:
                children_item = children_item_data.to_dict()
                children.append(children_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
        })
        if params is not UNSET:
            field_dict["params"] = params
        if priority is not UNSET:
            field_dict["priority"] = priority
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if prerequisites is not UNSET:
            field_dict["prerequisites"] = prerequisites
        if parent_id is not UNSET:
            field_dict["parent_id"] = parent_id
        if children is not UNSET:
            field_dict["children"] = children

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        from ..models.task_create_request_children_item import TaskCreateRequestChildrenItem # noqa: PLC0415
        from ..models.task_create_request_metadata import TaskCreateRequestMetadata # noqa: PLC0415
        from ..models.task_create_request_params import TaskCreateRequestParams # noqa: PLC0415
        files: types.RequestFiles = []

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


        if not isinstance(self.metadata, Unset):
            files.append(("metadata", (None, json.dumps( self.metadata.to_dict()).encode(), "application/json")))



        if not isinstance(self.prerequisites, Unset):
            for prerequisites_item_element in self.prerequisites:
                files.append(("prerequisites", (None, str(prerequisites_item_element).encode(), "text/plain")))




        if not isinstance(self.parent_id, Unset):
            if isinstance(self.parent_id, str):

                files.append(("parent_id", (None, str(self.parent_id).encode(), "text/plain")))
            else:
                files.append(("parent_id", (None, str(self.parent_id).encode(), "text/plain")))


        if not isinstance(self.children, Unset):
            for children_item_element in self.children:
                files.append(("children", (None, json.dumps( children_item_element.to_dict()).encode(), "application/json")))





        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_create_request_children_item import TaskCreateRequestChildrenItem # noqa: PLC0415
        from ..models.task_create_request_metadata import TaskCreateRequestMetadata # noqa: PLC0415
        from ..models.task_create_request_params import TaskCreateRequestParams # noqa: PLC0415
        d = dict(src_dict)
        kind = d.pop("kind")

        _params = d.pop("params", UNSET)
        params: TaskCreateRequestParams | Unset
        if isinstance(_params,  Unset):
            params = UNSET
        else:
            params = TaskCreateRequestParams.from_dict(_params)




        priority = d.pop("priority", UNSET)

        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


        _metadata = d.pop("metadata", UNSET)
        metadata: TaskCreateRequestMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = TaskCreateRequestMetadata.from_dict(_metadata)




        prerequisites = cast(list[str], d.pop("prerequisites", UNSET))


        def _parse_parent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        parent_id = _parse_parent_id(d.pop("parent_id", UNSET))


        _children = d.pop("children", UNSET)
        children: list[TaskCreateRequestChildrenItem] | Unset = UNSET
        if _children is not UNSET:
            children = []
            for children_item_data in _children:
                children_item = TaskCreateRequestChildrenItem.from_dict(children_item_data)



                children.append(children_item)


        task_create_request = cls(
            kind=kind,
            params=params,
            priority=priority,
            entity_id=entity_id,
            metadata=metadata,
            prerequisites=prerequisites,
            parent_id=parent_id,
            children=children,
        )


        task_create_request.additional_properties = d
        return task_create_request

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
