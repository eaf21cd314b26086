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

if TYPE_CHECKING:
  from ..models.article_analysis import ArticleAnalysis
  from ..models.article_file import ArticleFile
  from ..models.cost_model_line import CostModelLine





T = TypeVar("T", bound="Article")



@_attrs_define
class Article:
    """ The article with its cost model, files and how it was analysed.

        Attributes:
            id (int):
            article_name (str):
            unit_weight (float | None): kg per unit.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            stream_url (None | str):
            progress (float | None): Percent complete, 0-100.
            cost_models (list[CostModelLine]):
            files (list[ArticleFile]):
            analysis (ArticleAnalysis):
            description (None | str | Unset):
            processing_status (ProcessingStatusEnum | Unset): * `pending` - Pending
                * `processing` - Processing
                * `completed` - Completed
                * `failed` - Failed
            processing_error (None | str | Unset):
            processing_started_at (datetime.datetime | None | Unset):
            processing_completed_at (datetime.datetime | None | Unset):
            entity_id (None | str | Unset):
            task_id (None | str | Unset):
            progress_text (None | str | Unset):
     """

    id: int
    article_name: str
    unit_weight: float | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    stream_url: None | str
    progress: float | None
    cost_models: list[CostModelLine]
    files: list[ArticleFile]
    analysis: ArticleAnalysis
    description: None | str | Unset = UNSET
    processing_status: ProcessingStatusEnum | Unset = UNSET
    processing_error: None | str | Unset = UNSET
    processing_started_at: datetime.datetime | None | Unset = UNSET
    processing_completed_at: datetime.datetime | None | Unset = UNSET
    entity_id: None | str | Unset = UNSET
    task_id: None | str | Unset = UNSET
    progress_text: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.article_analysis import ArticleAnalysis # noqa: PLC0415
        from ..models.article_file import ArticleFile # noqa: PLC0415
        from ..models.cost_model_line import CostModelLine # noqa: PLC0415
        id = self.id

        article_name = self.article_name

        unit_weight: float | None
        unit_weight = self.unit_weight

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        stream_url: None | str
        stream_url = self.stream_url

        progress: float | None
        progress = self.progress

        cost_models = []
        for cost_models_item_data in self.cost_models:
            cost_models_item = cost_models_item_data.to_dict()
            cost_models.append(cost_models_item)



        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)



        analysis = self.analysis.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        else:
            entity_id = self.entity_id

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
            "article_name": article_name,
            "unit_weight": unit_weight,
            "created_at": created_at,
            "updated_at": updated_at,
            "stream_url": stream_url,
            "progress": progress,
            "cost_models": cost_models,
            "files": files,
            "analysis": analysis,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if processing_status is not UNSET:
            field_dict["processing_status"] = processing_status
        if processing_error is not UNSET:
            field_dict["processing_error"] = processing_error
        if processing_started_at is not UNSET:
            field_dict["processing_started_at"] = processing_started_at
        if processing_completed_at is not UNSET:
            field_dict["processing_completed_at"] = processing_completed_at
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if progress_text is not UNSET:
            field_dict["progress_text"] = progress_text

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.article_analysis import ArticleAnalysis # noqa: PLC0415
        from ..models.article_file import ArticleFile # noqa: PLC0415
        from ..models.cost_model_line import CostModelLine # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        article_name = d.pop("article_name")

        def _parse_unit_weight(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        unit_weight = _parse_unit_weight(d.pop("unit_weight"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_stream_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stream_url = _parse_stream_url(d.pop("stream_url"))


        def _parse_progress(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        progress = _parse_progress(d.pop("progress"))


        cost_models = []
        _cost_models = d.pop("cost_models")
        for cost_models_item_data in (_cost_models):
            cost_models_item = CostModelLine.from_dict(cost_models_item_data)



            cost_models.append(cost_models_item)


        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = ArticleFile.from_dict(files_item_data)



            files.append(files_item)


        analysis = ArticleAnalysis.from_dict(d.pop("analysis"))




        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


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


        def _parse_entity_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))


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


        article = cls(
            id=id,
            article_name=article_name,
            unit_weight=unit_weight,
            created_at=created_at,
            updated_at=updated_at,
            stream_url=stream_url,
            progress=progress,
            cost_models=cost_models,
            files=files,
            analysis=analysis,
            description=description,
            processing_status=processing_status,
            processing_error=processing_error,
            processing_started_at=processing_started_at,
            processing_completed_at=processing_completed_at,
            entity_id=entity_id,
            task_id=task_id,
            progress_text=progress_text,
        )


        article.additional_properties = d
        return article

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
