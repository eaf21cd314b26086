"""`?dry_run=1` on the creating endpoints and `POST /estimate`: the estimate, queueing nothing.

Each creating endpoint answers a dry run itself (it checks the body exactly as it would to
create); the apps with creating endpoints register here how to answer one for
`POST /estimate`, which finds the endpoint from the payload's shape, or from `?for=`.

Whether the entity would take the work now is its budgets' verdict. The budgets app sits
above the task framework, so it registers that verdict here from its AppConfig.ready()
(`dry_run_verdict_register`); the task endpoints ask `dry_run_verdict` (docs/budgets.md).
"""
from collections.abc import Callable

from drf_spectacular.utils import OpenApiParameter

from core.exceptions import ApplicationError
from tasks.estimators import Estimate

DRY_RUN_PARAMETER = OpenApiParameter(
    "dry_run", {"type": "string", "enum": ["1", "0", "true", "false", "yes", "no", ""]}, description="1: check the body and answer the estimate (EstimateSerializer's "
    "shape, 200); nothing is stored or queued.")
_TRUE, _FALSE = {"1", "true", "yes"}, {"", "0", "false", "no"}


def dry_run_requested(request) -> bool:
    raw = request.query_params.get("dry_run")
    if raw is None or raw.lower() in _FALSE:
        return False
    if raw.lower() in _TRUE:
        return True
    raise ApplicationError(f"dry_run must be 1 or 0 (true or false); got {raw!r}",
                           code="invalid_dry_run")


def _no_budgets(*, entity, estimate) -> dict:
    return {"allowed": True, "refusal": None}


_verdict: Callable[..., dict] = _no_budgets


def dry_run_verdict_register(verdict: Callable[..., dict]) -> None:
    """Say how to judge a dry run: `verdict(entity=, estimate=)` answers `allowed`, and when
    not, the `refusal` a creation would answer now (the budgets app's AppConfig.ready)."""
    global _verdict
    _verdict = verdict


def dry_run_verdict(*, entity, estimate: Estimate) -> dict:
    """Whether the entity's budgets would take the estimated work now, and if not, why."""
    return _verdict(entity=entity, estimate=estimate)


def dry_run_answer(*, estimate: Estimate, verdict: dict, entity) -> dict:
    return {"dry_run": True, "entity_id": entity.entity_id if entity is not None else None,
            **estimate.as_json(), "allowed": verdict["allowed"], "refusal": verdict["refusal"]}


# name -> (does this payload look like its body?, answer a dry run of it)
_targets: dict[str, tuple[Callable, Callable]] = {}


def dry_run_register(name: str, *, matches: Callable, answer: Callable) -> None:
    """Make `POST /estimate` answer for a creating endpoint: `matches(request)` says whether a
    payload is that endpoint's body, `answer(request)` returns its dry run's answer."""
    _targets[name] = (matches, answer)


def dry_run_dispatch(request) -> dict:
    """`POST /estimate`: the dry run of the endpoint this payload is for."""
    name = request.query_params.get("for")
    if name:
        if name not in _targets:
            raise ApplicationError(f"for must be one of {', '.join(sorted(_targets))}; got "
                                   f"{name!r}", code="invalid_for")
        return _targets[name][1](request)
    for matches, answer in _targets.values():
        if matches(request):
            return answer(request)
    raise ApplicationError(
        "the body is not the payload of a creating endpoint: send a task create body (kind), "
        "an embedding task (content), a batch of either (a JSON array), an upload (multipart "
        "file and entity_id) or an analysis (multipart productSpecification); or name it with "
        f"?for= ({', '.join(sorted(_targets))})", code="invalid_estimate")
