"""Budgets for tests, and the work they are tested with."""
from decimal import Decimal

from budgets.models import Budget
from embeddings.services import document_submit

# One page and one chunk with the local provider: $0.002 (file_processor) + $0.003
# (transformer) = $0.005, as the default prices say (docs/ledger.md).
TEXT = "Returned goods are inspected within two working days."
TEXT_COST = Decimal("0.005")


def budget_make(entity, amount, *, mode="hard", period="month", threshold=80, **scope) -> Budget:
    return Budget.objects.create(entity=entity, amount_usd=Decimal(str(amount)), mode=mode,
                                 period=period, soft_threshold_percent=threshold, **scope)


def submit(entity, content=TEXT, **fields):
    return document_submit(entity=entity, knowledge_base=None, content=content, **fields)


def embedding_body(content=TEXT, **fields) -> dict:
    return {"content": content, "entity_id": "company_123", **fields}
