import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from rest_framework.authtoken.models import Token

from tasks.operators import operator_username


class Command(BaseCommand):
    help = (
        "Make sure an operator (staff superuser) exists: TASKLEDGER_ADMIN_USER / "
        "TASKLEDGER_ADMIN_PASSWORD, or a generated password printed once with an API token. "
        "Without TASKLEDGER_ADMIN_USER, the operator made before is reused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="where the service answers, for the example printed with a new token")

    @transaction.atomic
    def handle(self, *args, **options):
        username = operator_username()
        password = os.environ.get("TASKLEDGER_ADMIN_PASSWORD")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        generated = None
        if user is None:
            generated = None if password else secrets.token_urlsafe(12)
            user = User.objects.create_superuser(username=username, password=password or generated)
        elif password and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            self.stdout.write(f"Operator {username!r}: password set from TASKLEDGER_ADMIN_PASSWORD.")
        token, created = Token.objects.get_or_create(user=user)
        if generated:
            self.stdout.write(self.style.SUCCESS(
                "Operator account created (shown once, keep it):\n"
                f"  user:      {username}\n  password:  {generated}\n  API token: {token.key}\n"
                f"  e.g. curl -H 'Authorization: Token {token.key}' {options['url'].rstrip('/')}/api/tasks/"
            ))
        elif created:
            self.stdout.write(f"Operator {username!r}: API token created: {token.key}")
        else:
            self.stdout.write(f"Operator {username!r} exists (python manage.py operator_token "
                              f"prints its API token; --rotate replaces it).")
