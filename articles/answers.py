"""Check what a model answered before anything of it may reach the database.

An answer that fails a check raises AnswerRejected with the reason, which is sent back to
the model when it is asked again and becomes the task's error when it is rejected twice.
"""
import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from articles.weights import weight_to_kg

# The parts of a cost model must add up to 100 within this many percentage points; the
# small rest (rounding in the model's answer) is then given to the largest part so stored
# models sum to exactly 100.00.
SUM_TOLERANCE = Decimal("0.5")
PART_PLACES = Decimal("0.01")
MAX_LINES = 30


class AnswerRejected(ValueError):
    """The model's answer is unusable; the message says why, in words the model can act on."""


@dataclass(frozen=True)
class WeightAnswer:
    kg: Decimal | None  # None: the specification names no weight
    reported: str  # what the model said, e.g. "2500 g"


def _json_object(content: str | None) -> dict | list:
    if not content or not content.strip():
        raise AnswerRejected("the answer was empty; answer with one JSON object")
    text = content.strip()
    if text.startswith("```"):  # a fenced block despite the instructions
        text = text.strip("`").removeprefix("json").strip()
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal,
                          parse_constant=lambda name: math.nan)
    except ValueError as exc:
        raise AnswerRejected(
            f"the answer is not valid JSON ({exc.msg} at character {exc.pos}); "
            "answer with one JSON object and nothing else") from None


def weight_answer_parse(content: str | None) -> WeightAnswer:
    """Parse {"unit_weight": number|null, "unit": "g"} (or the older {"unit_weight_grams": n})."""
    data = _json_object(content)
    if not isinstance(data, dict):
        raise AnswerRejected('the answer must be a JSON object like {"unit_weight": 2500, "unit": "g"}')
    if "unit_weight_grams" in data and "unit_weight" not in data:
        value, unit = data["unit_weight_grams"], "g"
    elif "unit_weight" in data:
        value, unit = data["unit_weight"], data.get("unit") or "g"
    else:
        raise AnswerRejected('the answer has no "unit_weight" key; answer '
                             '{"unit_weight": <number or null>, "unit": "g"}')
    if value is None:
        return WeightAnswer(kg=None, reported="not found")
    if not isinstance(unit, str):
        raise AnswerRejected(f'"unit" must be a string such as "g"; got {_shown(unit)}')
    try:
        kg = weight_to_kg(value, unit)
    except ValueError as exc:
        raise AnswerRejected(str(exc)) from None
    return WeightAnswer(kg=kg, reported=f"{value} {unit}")


def cost_model_parse(content: str | None, *, known_ids: set[int]) -> list[tuple[int, Decimal]]:
    """Return [(index_id, part)] summing to exactly 100.00, or raise AnswerRejected saying why."""
    data = _json_object(content)
    lines = data.get("cost_model") if isinstance(data, dict) else data
    if not isinstance(lines, list) or not lines:
        raise AnswerRejected('the answer must be {"cost_model": [{"index_id": <id>, "part": '
                             '<percent>}, ...]} with at least one line')
    if len(lines) > MAX_LINES:
        raise AnswerRejected(f"the cost model has {len(lines)} lines; at most {MAX_LINES} are allowed")
    parts: dict[int, Decimal] = {}
    for number, line in enumerate(lines, 1):
        if not isinstance(line, dict) or "index_id" not in line or "part" not in line:
            raise AnswerRejected(f'line {number} must be an object with "index_id" and "part"; got {_shown(line)}')
        index_id = _whole_number(line["index_id"])
        if index_id is None or index_id not in known_ids:
            raise AnswerRejected(
                f"line {number} names index_id {_shown(line['index_id'])}, which is not in the catalogue; "
                f"use only these ids: {', '.join(map(str, sorted(known_ids)))}")
        if index_id in parts:
            raise AnswerRejected(f"index_id {index_id} appears more than once; give each index one line")
        part = _number(line["part"])
        if part is None or part <= 0 or part > 100:
            raise AnswerRejected(
                f"line {number} (index_id {index_id}) has part {_shown(line['part'])}; each part must be "
                "a number > 0 and <= 100 (a percentage)")
        parts[index_id] = part
    total = sum(parts.values())
    if abs(total - 100) > SUM_TOLERANCE:
        raise AnswerRejected(
            f"the parts add up to {total.normalize():f}, not 100 (tolerance +/-{SUM_TOLERANCE}); "
            "give percentages that sum to 100")
    return _rounded_to_100(parts)


def _rounded_to_100(parts: dict[int, Decimal]) -> list[tuple[int, Decimal]]:
    rounded = {i: (p * 100 / sum(parts.values())).quantize(PART_PLACES, ROUND_HALF_EVEN)
               for i, p in parts.items()}
    largest = max(rounded, key=lambda i: (rounded[i], -i))
    rounded[largest] += Decimal(100) - sum(rounded.values())
    if any(p <= 0 for p in rounded.values()):
        raise AnswerRejected("a part rounds to 0.00 percent; give each part at least 0.01")
    return sorted(rounded.items(), key=lambda item: (-item[1], item[0]))


def _shown(value) -> str:
    """A value as the model wrote it (JSON), not as Python's repr of the parsed Decimal."""
    text = json.dumps(value, default=lambda d: int(d) if d == d.to_integral_value() else float(d))
    return text if len(text) <= 80 else text[:77] + "..."


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _whole_number(value) -> int | None:
    number = _number(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)
