"""The offline analyser's rules: a heuristic that needs no key and no network.

It answers in the same JSON as the model, so its answers go through the same checks.
Weight: the first number with a weight unit within a few words after "weight" (or
"weighs", "mass"). Cost model: fixed shares for labour, energy and transport, the rest
split over the material indices in proportion to how often their keywords occur.
"""
import json
import re
from collections import Counter
from decimal import ROUND_HALF_EVEN, Decimal

from articles.weights import unit_normalise

MODEL_NAME = "taskledger-offline-analyzer-1"

_UNIT = r"(mg|g|gr|grams?|kg|kgs|kilos?|kilograms?|t|tonnes?|tons?|lbs?|pounds?|oz|ounces?)"
_WEIGHT = re.compile(
    r"\b(?:weight|weighs|weighing|mass)\b[^0-9\n]{0,40}?(\d+(?:[.,]\d+)?)\s*" + _UNIT + r"\b",
    re.IGNORECASE,
)
# Shares (percent) for indices that are not materials; materials share the rest.
BASE_SHARES = {"labour": Decimal(20), "energy": Decimal(10), "transport": Decimal(5)}
NO_MATERIAL_SHARES = {"labour": Decimal(60), "energy": Decimal(25), "transport": Decimal(15)}


def weight_answer(text: str) -> str:
    """Return {"unit_weight": n, "unit": u} for the first stated weight, or a null weight."""
    match = _WEIGHT.search(text)
    if match is None:
        return json.dumps({"unit_weight": None, "unit": "g"})
    value = match.group(1).replace(",", ".")
    return json.dumps({"unit_weight": float(value), "unit": unit_normalise(match.group(2)) or "g"})


def _hits(text: str, keywords: str) -> int:
    words = [word.strip() for word in keywords.split(",") if word.strip()]
    return sum(len(re.findall(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)) for word in words)


def cost_model_answer(*, text: str, indices: list[dict]) -> str:
    """Return {"cost_model": [...]} over the catalogue's ids from keyword counts."""
    by_code = {index["code"]: index for index in indices}
    materials = Counter({
        index["id"]: _hits(text, index.get("keywords") or index["name"])
        for index in indices if index["code"] not in BASE_SHARES
    })
    materials = +materials  # drop indices with no hits
    base = BASE_SHARES if materials else NO_MATERIAL_SHARES
    shares = {by_code[code]["id"]: share for code, share in base.items() if code in by_code}
    rest = Decimal(100) - sum(shares.values())
    if materials:
        total_hits = sum(materials.values())
        for index_id, hits in materials.items():
            shares[index_id] = shares.get(index_id, 0) + rest * hits / total_hits
    elif shares:
        for index_id in shares:
            shares[index_id] += rest / len(shares)
    else:  # a catalogue with none of the known codes and no keyword hits: an even split
        shares = {index["id"]: Decimal(100) / len(indices) for index in indices}
    lines = [{"index_id": index_id, "part": float(part.quantize(Decimal("0.01"), ROUND_HALF_EVEN))}
             for index_id, part in sorted(shares.items(), key=lambda item: -item[1])]
    return json.dumps({"cost_model": lines})
