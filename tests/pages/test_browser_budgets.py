"""Budgets in Chromium: a refusal in words on the upload form, the dashboard's figures, and
a budget edited in the admin. A real daphne serves the pages and APIs; no worker runs, so
what is reserved stays reserved while the page is read."""
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from budgets.models import Budget
from costs.services import request_record_open, usage_record
from embeddings.models import Document
from tests.budgets.helpers import budget_make, submit
from tests.processes import start_daphne

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(transactional_db):
    daphne, port = start_daphne()
    yield f"http://127.0.0.1:{port}"
    daphne.kill()
    print(f"--- daphne ---\n{daphne.log()[-5000:]}")


@pytest.fixture
def browse(chromium, web):
    """A page signed in as `user`, on a fresh context."""
    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(base_url=web)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": web,
                              "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_browser_upload_refused_by_the_budget_says_why(browse, user, entity, tmp_path):
    budget_make(entity, "0.004")
    notes = tmp_path / "notes.txt"
    notes.write_text("Returned goods are inspected within two working days.")
    page = browse(user)
    page.goto("/upload/")
    page.set_input_files("input[name=file]", str(notes))
    page.click("button:has-text('Upload and start')")

    error = page.locator("[data-role=form-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("budget exceeded")
    expect(error).to_contain_text("0.004 USD has 0.004 USD left")
    expect(error).to_contain_text("estimated at 0.005 USD")
    expect(page).to_have_url(re.compile(r"/upload/$"))
    assert not Document.objects.exists()


def test_browser_dashboard_shows_spent_reserved_remaining_and_period_end(browse, user, entity):
    budget = budget_make(entity, "0.050", period="day")
    record = request_record_open(operation_type="task_run", endpoint="job:embeddings.embed",
                                 method="JOB", entity=entity)
    usage_record(record=record, service_type="transformer", unit="chunks", quantity=3)  # $0.009
    submit(entity)  # reserves $0.005; no worker runs it
    page = browse(user)
    page.goto("/")

    card = page.locator(f"#budgets [data-budget='{budget.pk}']")
    expect(card.locator("caption")).to_contain_text("company_123 · day · hard · $0.05")
    expect(card.locator("[data-role=spent]")).to_have_text("$0.0090")
    expect(card.locator("[data-role=reserved]")).to_have_text("$0.0050")
    expect(card.locator("[data-role=remaining]")).to_have_text("$0.0360")
    expect(card.locator("[data-role=period-end]")).to_contain_text("UTC")


def test_browser_admin_edits_a_budget_and_refuses_a_negative_amount(browse, staff, entity):
    page = browse(staff)
    page.goto("/admin/budgets/budget/add/")
    page.select_option("select[name=entity]", label="company_123")
    page.fill("input[name=amount_usd]", "-1")
    page.click("input[name=_save]")
    expect(page.locator(".errorlist")).to_contain_text("greater than or equal to 0")
    assert not Budget.objects.exists()

    page.fill("input[name=amount_usd]", "12.5")
    page.select_option("select[name=period]", "day")
    page.select_option("select[name=mode]", "soft")
    page.fill("input[name=soft_threshold_percent]", "90")
    page.click("input[name=_save]")
    expect(page.locator("ul.messagelist")).to_contain_text("was added successfully")
    budget = Budget.objects.get()
    assert (budget.amount_usd, budget.period, budget.mode, budget.soft_threshold_percent) == (
        Decimal("12.5"), "day", "soft", 90)
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("company_123")
    expect(row.locator("td.field-remaining")).to_have_text("12.5")

    page.goto("/admin/overview/")
    expect(page.locator(f"#tl-budgets [data-budget='{budget.pk}'] [data-role=remaining]")
           ).to_have_text("$12.5000")
