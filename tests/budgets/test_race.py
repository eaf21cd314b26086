"""The check and the reservation are one step: creators racing for the last of a budget
never together reserve more than it holds (PostgreSQL: each thread its own connection)."""
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from budgets.errors import BudgetExceeded
from budgets.models import TaskEstimate
from embeddings.models import Document
from tasks.models import Task
from tests.budgets.helpers import TEXT_COST, budget_make, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers itself; the row lock is PostgreSQL's"),
]

THREADS = 20
FITS = 5


def test_twenty_creators_racing_for_a_budget_that_fits_five_get_exactly_five(entity):
    budget_make(entity, TEXT_COST * FITS)
    start = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def create(index):
        try:
            start.wait()
            try:
                submit(entity, document_id=f"race-{index}")
                outcome = "created"
            except BudgetExceeded:
                outcome = "refused"
            with lock:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created"] * FITS + ["refused"] * (THREADS - FITS)
    assert Task.objects.count() == Document.objects.count() == FITS
    reserved = sum(TaskEstimate.objects.filter(reserved=True).values_list("total_usd", flat=True))
    assert reserved == TEXT_COST * FITS == Decimal("0.025")
