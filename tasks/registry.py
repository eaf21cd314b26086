"""Job kinds register here; the framework looks them up by name when it runs a task.

Domain apps register theirs from their AppConfig.ready(), so `tasks` never imports them.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

GROUP_KIND = "group"


@dataclass(frozen=True)
class JobKind:
    name: str
    func: Callable[..., Any]
    timeout: int | None = None
    retry_limit: int | None = None
    retry_on: tuple[type[BaseException], ...] = ()
    retry_timeouts: bool = False
    # How the ledger names this kind's attempts (an upload's are "file_upload" / "upload").
    operation_type: str = "task_run"
    task_type: str = ""
    # Validates and cleans `params` for tasks created through the generic API;
    # None means the kind cannot be created there (domain endpoints create it).
    params_serializer: type | None = None
    description: str = ""
    # What this kind's progress units count ("chunks"): its progress also carries
    # processed_<unit> and total_<unit> beside the generic processed_units / total_units.
    unit: str = ""


_kinds: dict[str, JobKind] = {}


def job_register(name: str, **options) -> Callable:
    """Register the decorated function as the job for tasks of kind `name`.

    The function is called as `func(progress, **params)` and returns a JSON-serialisable
    result (or an object with `model_dump()`).
    """

    def decorator(func: Callable) -> Callable:
        if name == GROUP_KIND:
            raise ValueError(f"{GROUP_KIND!r} is reserved for parent tasks")
        _kinds[name] = JobKind(name=name, func=func, **options)
        return func

    return decorator


def job_kind_get(name: str) -> JobKind | None:
    return _kinds.get(name)


def job_kind_names(*, api_creatable: bool = False) -> list[str]:
    return sorted(
        name for name, kind in _kinds.items()
        if not api_creatable or kind.params_serializer is not None
    )


def progress_unit_fields(kind: str, processed, total) -> dict:
    """A task's unit counts under the generic names, and under its kind's own where it has one.

    An embedding task counts chunks, so it answers `processed_chunks` / `total_chunks` too;
    a kind without a unit never does, so `processed_chunks` always means chunks.
    """
    fields = {"processed_units": processed, "total_units": total}
    job = _kinds.get(kind)
    if job is not None and job.unit:
        fields[f"processed_{job.unit}"] = processed
        fields[f"total_{job.unit}"] = total
    return fields
