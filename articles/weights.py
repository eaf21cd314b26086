"""Weights as the model (or the offline analyser) reports them, converted to kilograms."""
from decimal import Decimal, InvalidOperation

# Exact factors: the pound is defined as 0.45359237 kg, the ounce as 1/16 of it.
KG_PER_UNIT = {
    "mg": Decimal("0.000001"),
    "g": Decimal("0.001"),
    "kg": Decimal("1"),
    "t": Decimal("1000"),
    "lb": Decimal("0.45359237"),
    "oz": Decimal("0.45359237") / 16,
}
UNIT_ALIASES = {
    "milligram": "mg", "milligrams": "mg",
    "gram": "g", "grams": "g", "gr": "g", "grammes": "g",
    "kilogram": "kg", "kilograms": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg",
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t",
    "pound": "lb", "pounds": "lb", "lbs": "lb",
    "ounce": "oz", "ounces": "oz",
}
KG_PLACES = Decimal("0.000001")  # Article.unit_weight keeps six decimal places (1 mg)
MAX_KG = Decimal("1e9")


def unit_normalise(unit: str) -> str | None:
    """Return the canonical unit (g, kg, t, lb, oz, mg) for a spelling of it, or None."""
    key = str(unit).strip().lower().rstrip(".")
    key = UNIT_ALIASES.get(key, key)
    return key if key in KG_PER_UNIT else None


def weight_to_kg(value, unit: str = "g") -> Decimal:
    """Convert a weight in `unit` to kg; ValueError naming what is wrong and what is accepted."""
    canonical = unit_normalise(unit)
    if canonical is None:
        raise ValueError(f"unknown weight unit {unit!r}; accepted: {', '.join(KG_PER_UNIT)}")
    if isinstance(value, bool):
        raise ValueError(f"weight must be a number; got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"weight must be a number; got {value!r}") from None
    if not number.is_finite() or number <= 0:
        raise ValueError(f"weight must be a finite number > 0; got {value!r}")
    kg = (number * KG_PER_UNIT[canonical]).quantize(KG_PLACES)
    if kg <= 0 or kg > MAX_KG:
        raise ValueError(f"weight {value} {canonical} is outside 1 mg .. 1,000,000 t")
    return kg
