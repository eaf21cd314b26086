"""The operator: the staff superuser `make run` makes, that every later command reuses.

`ensure_operator` makes one on the first start; `load_demo` and `operator_token` find that
same account again, rather than making a second superuser under another name when
TASKLEDGER_ADMIN_USER is not set in their shell.
"""
import os

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

DEFAULT_OPERATOR = "admin"


def operator_username() -> str:
    """TASKLEDGER_ADMIN_USER; else the first superuser made; else `admin` (to be made)."""
    named = os.environ.get("TASKLEDGER_ADMIN_USER")
    if named:
        return named
    first = (get_user_model().objects.filter(is_superuser=True, is_active=True)
             .order_by("date_joined", "pk").first())
    return first.get_username() if first is not None else DEFAULT_OPERATOR


def operator_token(*, user, rotate: bool = False) -> tuple[Token, bool]:
    """The user's API token, made if missing; `rotate` replaces it (the old one stops
    working at once). Returns the token and whether it is new."""
    with transaction.atomic():
        if rotate:
            Token.objects.filter(user=user).delete()
        return Token.objects.get_or_create(user=user)
