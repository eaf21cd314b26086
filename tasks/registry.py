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
    # How the ledger names this kind's attempts (seed 000: "file_upload" / "upload").
    operation_type: str = "task_run"
    task_type: str = ""
    # Validates and cleans `params` for tasks created through the generic API;
    # None means the kind cannot be created there (domain endpoints create it).
    params_serializer: type | None = None
    description: str = ""


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
