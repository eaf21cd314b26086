"""What entities cost over a period, grouped, as JSON or CSV: the ledger API's roll-up for scripts.

    manage.py cost_report --entity company_123 --since 2026-11-01 --until 2026-12-01 \\
        --group-by day --format csv --output november.csv
"""
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from costs.filters import GROUP_BY_CHOICES, EntityCostForm
from costs.models import Entity
from costs.renderers import csv_chunks, entity_group_csv_header, entity_group_csv_row
from costs.selectors import DEFAULT_PERIOD, entity_cost_summary


class Command(BaseCommand):
    help = ("Report what entities cost over a period [since, until), grouped by service, day, "
            "task_type or operation_type, as JSON or CSV.")

    def add_arguments(self, parser):
        parser.add_argument("--entity", action="append", dest="entities", metavar="ENTITY_ID",
                            help="An entity_id; repeat for several. Default: every entity.")
        parser.add_argument("--since", help="ISO date or date-time, inclusive. Default: 30 days "
                                            "before --until.")
        parser.add_argument("--until", help="ISO date or date-time, exclusive. Default: now.")
        parser.add_argument("--group-by", default="service", help=", ".join(GROUP_BY_CHOICES))
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, entities, since, until, group_by, format, output, **options):
        form = EntityCostForm({"since": since or "", "until": until or "", "group_by": group_by})
        if not form.is_valid():
            raise CommandError("; ".join(
                message for messages in form.errors.values() for message in messages))
        until = form.cleaned_data["until"] or timezone.now()
        since = form.cleaned_data["since"] or until - DEFAULT_PERIOD
        if until <= since:
            raise CommandError("until must be later than since (until is exclusive)")
        chosen = Entity.objects.order_by("entity_id")
        if entities:
            chosen = chosen.filter(entity_id__in=entities)
            missing = sorted(set(entities) - set(chosen.values_list("entity_id", flat=True)))
            if missing:
                raise CommandError(f"no such entity: {', '.join(missing)}")
        reports = [entity_cost_summary(entity=entity, since=since, until=until,
                                       group_by=form.cleaned_data["group_by"])
                   for entity in chosen]
        chunks = self._csv(reports, group_by) if format == "csv" else [self._json(reports)]
        if output:
            with open(output, "wb") as target:
                target.writelines(chunks)
        else:
            for chunk in chunks:
                self.stdout.write(chunk.decode(), ending="")

    @staticmethod
    def _json(reports: list[dict]) -> bytes:
        def number(value):
            if isinstance(value, Decimal):
                return float(value)
            return value.isoformat().replace("+00:00", "Z")

        return (json.dumps({"reports": reports}, default=number, indent=2) + "\n").encode()

    @staticmethod
    def _csv(reports: list[dict], group_by: str):
        rows = ([report["entity_id"], *entity_group_csv_row(group, final=report["final"])]
                for report in reports for group in report["groups"])
        return csv_chunks(["entity_id", *entity_group_csv_header(group_by)], rows)
