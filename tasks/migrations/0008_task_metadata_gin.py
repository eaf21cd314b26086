"""A GIN index over tasks' metadata, on PostgreSQL only.

`GET /api/tasks/?metadata.<key>=value` is `metadata @> '{"key": value}'` there, which this
index answers (jsonb_path_ops: smaller than the default operator class, and containment is
the only operator the filter uses). SQLite has no GIN indexes; it filters with JSON1.
The index lives here and not in Task.Meta so that one model state serves both databases.
"""
from django.db import migrations

INDEX = "task_metadata_gin"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON tasks_task USING gin (metadata jsonb_path_ops)"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0007_cluster_rebuilds'),
    ]

    operations = [
        migrations.RunPython(_create, _drop, elidable=False),
    ]
