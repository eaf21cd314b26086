from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tasks.operators import operator_token, operator_username


class Command(BaseCommand):
    help = ("Print the operator's API token again (or USER's), making one if there is none; "
            "--rotate replaces it, and the old token stops working.")

    def add_arguments(self, parser):
        parser.add_argument("user", nargs="?", help="a username (default: the operator that "
                            "`make run` made, or TASKLEDGER_ADMIN_USER)")
        parser.add_argument("--rotate", action="store_true",
                            help="replace the token with a new one")

    def handle(self, *args, **options):
        username = options["user"] or operator_username()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}; `make run` (ensure_operator) "
                               "makes the operator")
        token, created = operator_token(user=user, rotate=options["rotate"])
        if options["rotate"]:
            self.stderr.write(f"API token of {username!r} replaced; the old one no longer works.")
        elif created:
            self.stderr.write(f"{username!r} had no API token; made one.")
        self.stdout.write(token.key)
