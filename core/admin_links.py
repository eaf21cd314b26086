"""Links from any admin page to another changelist, searched for one public id.

A search for a whole id is an index lookup however large the table (core/admin_search.py),
so the link to "the rows of this task" is that changelist searched for the task's id. The
ledger names tasks and documents by their public ids (it outlives both) and is linked so.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode


def changelist_search_url(changelist: str, public_id: str) -> str:
    """Return the URL of an admin changelist (its URL name) searched for one id."""
    return f"{reverse(changelist)}?{urlencode({'q': public_id})}"


def changelist_search_link(changelist: str, public_id: str, label: str | None = None):
    """Return a link to an admin changelist searched for one id, labelled with the id."""
    return format_html('<a href="{}">{}</a>', changelist_search_url(changelist, public_id),
                       public_id if label is None else label)


def ledger_records_link(public_id: str, label: str = "ledger records"):
    """Return a link to the request records that name this task or document id."""
    if not public_id:
        return "-"
    return changelist_search_link("admin:costs_requestrecord_changelist", public_id, label)
