"""Links from any admin page to the ledger's records for a task or a document.

The ledger names tasks and documents by their public ids (it outlives both), so the link
is the record changelist searched for that id: an index lookup, however large the ledger.
"""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode


def ledger_records_link(public_id: str, label: str = "ledger records"):
    """Return a link to the request records that name this task or document id."""
    if not public_id:
        return "-"
    url = f"{reverse('admin:costs_requestrecord_changelist')}?{urlencode({'q': public_id})}"
    return format_html('<a href="{}">{}</a>', url, label)
