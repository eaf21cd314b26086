"""What a piece of work will cost before it is queued: the estimator registry and its sums.

Each job kind that spends money registers an estimator next to its job kind (a function
that returns the usage it expects, as `EstimatedUse`s); this module prices those uses at
today's prices, exactly as the ledger will price the real ones (costs.pricing), and adds
them up per service. A kind with no estimator costs nothing (the diagnostics, groups).
The budgets app holds these estimates back against the entity's budgets (docs/budgets.md).
"""
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from costs.pricing import cost_of, price_lookup

ZERO = Decimal(0)


@dataclass(frozen=True)
class EstimatedUse:
    """One usage line a job is expected to record."""

    service_type: str
    unit: str
    quantity: Decimal
    model: str = ""


@dataclass(frozen=True)
class Estimate:
    """An estimate, priced: the total, per service, and its lines."""

    kind: str
    total: Decimal = ZERO
    by_service: dict[str, Decimal] = field(default_factory=dict)
    lines: tuple[dict, ...] = ()

    def breakdown_text(self) -> dict[str, str]:
        return {service: format(cost.normalize(), "f") for service, cost in self.by_service.items()}

    def as_json(self) -> dict:
        """The estimate as API answers give it (Decimals rendered as numbers)."""
        return {"kind": self.kind, "estimated_cost_usd": self.total,
                "breakdown_by_service": dict(self.by_service), "lines": list(self.lines)}


_estimators: dict[str, Callable[..., Iterable[EstimatedUse]]] = {}


def estimator_register(kind: str) -> Callable:
    """Register the decorated function as the estimator of tasks of `kind`.

    It is called with the keywords its domain passes to `estimate_for` and returns the
    usage lines the job is expected to record.
    """

    def decorator(func):
        _estimators[kind] = func
        return func

    return decorator


def estimator_registered(kind: str) -> bool:
    return kind in _estimators


def estimate_for(kind: str, **inputs) -> Estimate:
    """Price what a task of `kind` is expected to use, at today's prices."""
    estimator = _estimators.get(kind)
    if estimator is None:
        return Estimate(kind=kind)
    return estimate_price(kind, estimator(**inputs))


def estimate_price(kind: str, uses: Iterable[EstimatedUse]) -> Estimate:
    now = timezone.now()
    total, by_service, lines = ZERO, {}, []
    for use in uses:
        quantity = Decimal(use.quantity)
        price = price_lookup(service_type=use.service_type, unit=use.unit, model=use.model,
                             at=now)
        cost = cost_of(quantity, price.unit_price) if price is not None else ZERO
        total += cost
        by_service[use.service_type] = by_service.get(use.service_type, ZERO) + cost
        lines.append({"service_type": use.service_type, "unit": use.unit,
                      "model": use.model or None, "quantity": quantity,
                      "unit_price": price.unit_price if price is not None else None,
                      "cost_usd": cost, "unpriced": price is None})
    return Estimate(kind=kind, total=total, by_service=by_service, lines=tuple(lines))


def estimate_sum(kind: str, estimates: Iterable[Estimate]) -> Estimate:
    """Several estimates as one (a batch's)."""
    total, by_service, lines = ZERO, {}, []
    for estimate in estimates:
        total += estimate.total
        for service, cost in estimate.by_service.items():
            by_service[service] = by_service.get(service, ZERO) + cost
        lines.extend(estimate.lines)
    return Estimate(kind=kind, total=total, by_service=by_service, lines=tuple(lines))


_TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


def token_estimate(text: str) -> int:
    """Tokens a model will count in `text`, estimated as its words and punctuation marks.

    OpenAI's tokenizers need vocabulary files this deployment cannot download; for English
    prose a word is 1.0-1.3 tokens, so this runs low by up to a quarter there, and is close
    for code, numbers and short words (docs/budgets.md).
    """
    return max(1, len(_TOKEN_PATTERN.findall(text))) if text else 0
