"""costs/totals.py: the one place usage lines and roll-up rows are summed per service."""
from decimal import Decimal

import pytest

from costs.meters import meter_id
from costs.totals import CostTotals, usage_totals
from costs.usage import UsageLine

pytestmark = pytest.mark.django_db


def _line(service_type, unit, cost, *, quantity="1", priced=True):
    meter = meter_id(service_type=service_type, unit=unit, model="")
    return UsageLine(meter, 1 if priced else None, Decimal(quantity), Decimal(cost))


def test_usage_totals_sum_each_service_exactly_and_count_its_records():
    first = [_line("openai_chat", "input_tokens", "0.0000000001", quantity="10"),
             _line("openai_chat", "output_tokens", "0.2", quantity="3"),
             _line("file_processor", "pages", "0", quantity="2", priced=False)]
    second = [_line("openai_chat", "input_tokens", "0.0000000002", quantity="5")]

    totals = usage_totals([first, second, []])

    chat = totals.services["openai_chat"]
    assert chat.cost == Decimal("0.2000000003")
    assert chat.records == 2 and chat.lines == 3 and chat.unpriced_lines == 0
    assert chat.quantities == {"input_tokens": Decimal(15), "output_tokens": Decimal(3)}
    assert totals.services["file_processor"].unpriced_lines == 1
    assert list(totals.by_service) == ["file_processor", "openai_chat"]
    assert totals.total == Decimal("0.2000000003")
    assert (totals.lines, totals.unpriced_lines, totals.unpriced) == (4, 1, True)


def test_cost_totals_add_the_rollups_rows_to_the_lines():
    totals = usage_totals([[_line("transformer", "chunks", "0.5", quantity="4")]])

    totals.add_rolled_up(service_type="transformer", cost=Decimal("1.25"), unit="chunks",
                         quantity=Decimal(10), records=3, lines=3)
    totals.add_rolled_up(service_type="openai_embedding", cost=Decimal("0.1"), lines=2,
                         unpriced_lines=1)

    transformer = totals.services["transformer"]
    assert (transformer.cost, transformer.records, transformer.lines) == (Decimal("1.75"), 4, 4)
    assert transformer.quantities == {"chunks": Decimal(14)}
    assert totals.services["openai_embedding"].quantities == {}
    assert totals.total == Decimal("1.85") and totals.unpriced


def test_cost_totals_of_nothing_are_zero():
    assert CostTotals().total == Decimal(0)
    assert usage_totals([]).by_service == {} and not usage_totals([[]]).lines
