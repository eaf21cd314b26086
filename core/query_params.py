"""Unknown query parameters are refused, never ignored: a typo must not match everything.

A list or cost endpoint that ignored `?taskid=` (for `task_id`) would answer every record,
and a client summing them would report an entity's whole spend. As in Stripe's API, the
refusal names the parameters that were not understood and the ones that are.
"""
from collections.abc import Iterable

from core.exceptions import ApplicationError

# Accepted by every list and cost endpoint: paging, DRF's `?format=`, and cost waits.
ALWAYS_ACCEPTED = ("page", "page_size", "format", "wait")


def query_params_check(params, *, known: Iterable[str], prefixes: Iterable[str] = ()) -> None:
    """Raise a 400 naming every parameter in `params` that is neither known nor prefixed."""
    known = [*known, *(name for name in ALWAYS_ACCEPTED if name not in known)]
    prefixes = tuple(prefixes)
    unknown = sorted(name for name in params
                     if name not in known and not (prefixes and name.startswith(prefixes)))
    if not unknown:
        return
    accepted = [*known, *(f"{prefix}<key>" for prefix in prefixes)]
    raise ApplicationError(
        f"unknown query parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
        f"accepted: {', '.join(accepted)}",
        code="unknown_parameter",
        extra={"unknown": unknown, "accepted": accepted},
    )


class KnownQueryParamsMixin:
    """DRF views: refuse query parameters the action does not know.

    `query_params_known` names them, or `filterset_class`'s filters do. On a viewset only
    the actions in `query_params_actions` are checked; a plain APIView always is.
    """

    query_params_known: tuple[str, ...] = ()
    query_params_prefixes: tuple[str, ...] = ()
    query_params_actions = frozenset({"list"})

    def query_params_accepted(self) -> list[str]:
        filterset_class = getattr(self, "filterset_class", None)
        names = list(filterset_class.base_filters) if filterset_class else []
        return [*names, *(name for name in self.query_params_known if name not in names)]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        action = getattr(self, "action", None)
        if action is None or action in self.query_params_actions:
            query_params_check(request.query_params, known=self.query_params_accepted(),
                               prefixes=self.query_params_prefixes)
