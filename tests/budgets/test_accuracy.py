"""The accuracy measurement's verdicts (bench/budgets/driver.py; its run is `make bench`'s)."""
from decimal import Decimal

from bench.budgets.driver import _error, _summary


def test_error_is_relative_to_the_actual_cost():
    assert _error(Decimal("1.1"), Decimal("1.0")) == Decimal("0.1")
    assert _error(Decimal(0), Decimal(0)) == 0
    assert _error(Decimal("0.01"), Decimal(0)) == 1  # an estimate for free work: 100% off


def test_summary_flags_an_estimator_outside_its_tolerance():
    inside = _summary("analyses", [("a", Decimal("1.29"), Decimal(1)), ("b", Decimal("0.8"), Decimal(1))])
    assert inside["within_tolerance"] is True and inside["worst_error_percent"] == 29.0
    outside = _summary("embeddings", [("a", Decimal("1.16"), Decimal(1))])
    assert outside["within_tolerance"] is False and outside["tolerance_percent"] == 15.0
    assert outside["items"] == [{"name": "a", "estimated_usd": "1.16", "actual_usd": "1",
                                 "error_percent": 16.0}]
