import re
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks.retention import tasks_purge_finished

_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    match = re.fullmatch(r"\s*(\d+)\s*([wdhms])\s*", text or "")
    if not match:
        raise CommandError(
            f"--older-than must be a number followed by w, d, h, m or s (e.g. 30d, 12h); got {text!r}"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


class Command(BaseCommand):
    help = "Delete finished tasks and their events older than a given age (cost records stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", default=None,
            help="Age such as 30d, 12h or 90m (default: TASK_RETENTION_DAYS days).",
        )

    def handle(self, *args, **options):
        age = (
            parse_age(options["older_than"]) if options["older_than"]
            else timedelta(days=settings.TASK_RETENTION_DAYS)
        )
        deleted = tasks_purge_finished(older_than=age)
        self.stdout.write(f"Deleted {deleted} finished task(s) older than {age}.")
