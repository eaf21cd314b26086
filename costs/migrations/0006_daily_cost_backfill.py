"""Fill the daily cost roll-up from the usage lines recorded before it existed.

The SQL is a frozen copy of costs/rollup.py's `daily_cost_fill` as of this migration, so
that later changes to the roll-up cannot change what this step did.
"""
from django.db import migrations


def _fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        day = "date(r.created_at)"
        cost = "SUM(CAST(ROUND(l.cost * 10000000000) AS INTEGER)) / 10000000000.0"
        quantity = "SUM(CAST(ROUND(l.quantity * 1000000) AS INTEGER)) / 1000000.0"
    else:
        day = "(r.created_at AT TIME ZONE 'UTC')::date"
        cost, quantity = "SUM(l.cost)", "SUM(l.quantity)"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM costs_dailycost")
        cursor.execute(
            "INSERT INTO costs_dailycost (day, entity_id, service_type, unit, cost, quantity, "
            "line_count, unpriced_line_count) "
            f"SELECT {day}, r.entity_id, l.service_type, l.unit, {cost}, {quantity}, COUNT(*), "
            "SUM(CASE WHEN l.unpriced THEN 1 ELSE 0 END) "
            "FROM costs_usageline l JOIN costs_requestrecord r ON r.id = l.record_id "
            f"GROUP BY {day}, r.entity_id, l.service_type, l.unit"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("costs", "0005_daily_cost"),
    ]

    operations = [
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
    ]
