"""Default prices: the upload's services and OpenAI list prices for the models TaskLedger uses.

Stored per unit (USD per page, per chunk, per token); OpenAI lists per 1M tokens. Loaded by
a data migration; prices change by adding rows with a later effective_from (admin).
"""
from datetime import datetime, timezone
from decimal import Decimal

EFFECTIVE_FROM = datetime(2025, 1, 1, tzinfo=timezone.utc)
PER_MILLION = Decimal(1_000_000)

# (service_type, model, unit, USD per unit, note)
DEFAULT_PRICES = [
    ("file_processor", "", "pages", Decimal("0.002"), "10 pages -> $0.02"),
    ("transformer", "", "chunks", Decimal("0.003"), "chunks * 0.003"),
    ("offline_analyzer", "", "calls", Decimal("0"), "the offline rule-based analyser is free"),
    *[
        ("openai_embedding", model, "input_tokens", Decimal(per_million) / PER_MILLION,
         f"OpenAI list price ${per_million} / 1M tokens")
        for model, per_million in [
            ("text-embedding-3-small", "0.02"),
            ("text-embedding-3-large", "0.13"),
            ("text-embedding-ada-002", "0.10"),
        ]
    ],
    *[
        ("openai_chat", model, unit, Decimal(per_million) / PER_MILLION,
         f"OpenAI list price ${per_million} / 1M {unit.replace('_', ' ')}")
        for model, prices in [
            ("gpt-4o-mini", {"input_tokens": "0.15", "cached_input_tokens": "0.075", "output_tokens": "0.60"}),
            ("gpt-4o", {"input_tokens": "2.50", "cached_input_tokens": "1.25", "output_tokens": "10.00"}),
            ("gpt-4.1-mini", {"input_tokens": "0.40", "cached_input_tokens": "0.10", "output_tokens": "1.60"}),
            ("gpt-4.1-nano", {"input_tokens": "0.10", "cached_input_tokens": "0.025", "output_tokens": "0.40"}),
            ("gpt-4.1", {"input_tokens": "2.00", "cached_input_tokens": "0.50", "output_tokens": "8.00"}),
        ]
        for unit, per_million in prices.items()
    ],
]



def default_prices_load(price_model) -> None:
    """Create the default prices that are missing (takes the model: usable from migrations)."""
    for service_type, model, unit, unit_price, note in DEFAULT_PRICES:
        price_model.objects.get_or_create(
            service_type=service_type, model=model, unit=unit, effective_from=EFFECTIVE_FROM,
            defaults={"unit_price": unit_price, "note": note},
        )
