"""Recompute the daily cost roll-up from the ledger: after restoring a backup of the ledger
tables alone, after editing usage lines by hand, or to check that it matches.

    manage.py rebuild_daily_costs
"""
from django.core.management.base import BaseCommand
from django.db.models import Sum

from costs.models import DailyCost
from costs.services import daily_cost_rebuild


class Command(BaseCommand):
    help = ("Recompute the daily cost roll-up (costs per UTC day, entity, service and unit) "
            "from every usage line in the ledger.")

    def handle(self, *args, **options):
        rows = daily_cost_rebuild()
        lines = DailyCost.objects.aggregate(lines=Sum("line_count"))["lines"] or 0
        self.stdout.write(f"daily cost roll-up rebuilt: {rows} rows from {lines} usage lines")
