"""Checks on model answers, and unit conversion of weights."""
from decimal import Decimal

import pytest

from articles.answers import AnswerRejected, cost_model_parse, weight_answer_parse
from articles.weights import weight_to_kg


@pytest.mark.parametrize("value, unit, kg", [
    (2500, "g", "2.5"), (2.5, "kg", "2.5"), (0.5, "t", "500"), (1, "lb", "0.453592"),
    (16, "oz", "0.453592"), (3, "pounds", "1.360777"), ("750", "grams", "0.75"),
])
def test_weight_to_kg_converts_every_unit(value, unit, kg):
    assert weight_to_kg(value, unit) == Decimal(kg)


@pytest.mark.parametrize("value, unit, message", [
    (5, "stone", "unknown weight unit 'stone'; accepted: mg, g, kg, t, lb, oz"),
    (-1, "g", "weight must be a finite number > 0"),
    ("heavy", "g", "weight must be a number"),
    (True, "g", "weight must be a number"),
])
def test_weight_to_kg_refuses_with_reason(value, unit, message):
    with pytest.raises(ValueError, match=message):
        weight_to_kg(value, unit)


def test_weight_answer_accepts_seed_003s_grams_key_and_null():
    assert weight_answer_parse('{"unit_weight_grams": 2500.0}').kg == Decimal("2.5")
    assert weight_answer_parse('{"unit_weight": null, "unit": "g"}').kg is None
    assert weight_answer_parse('```json\n{"unit_weight": 1, "unit": "kg"}\n```').kg == 1


def test_cost_model_parse_rejects_duplicates_and_fractional_ids():
    with pytest.raises(AnswerRejected, match="index_id 1 appears more than once"):
        cost_model_parse('[{"index_id": 1, "part": 50}, {"index_id": 1, "part": 50}]', known_ids={1})
    with pytest.raises(AnswerRejected, match="names index_id 1.5"):
        cost_model_parse('[{"index_id": 1.5, "part": 100}]', known_ids={1})
    with pytest.raises(AnswerRejected, match="not valid JSON"):
        cost_model_parse('{"cost_model": [{"index_id": 1, "part": NaN}]', known_ids={1})


def test_cost_model_parse_tolerance_edges():
    ok = cost_model_parse('[{"index_id": 1, "part": 60}, {"index_id": 2, "part": 40.5}]',
                          known_ids={1, 2})
    assert sum(part for _, part in ok) == 100
    with pytest.raises(AnswerRejected, match="add up to 100.6"):
        cost_model_parse('[{"index_id": 1, "part": 60}, {"index_id": 2, "part": 40.6}]',
                         known_ids={1, 2})
