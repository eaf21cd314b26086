"""ProviderErrorCount moved from tasks to integrations without touching its table."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from integrations.models import ProviderErrorCount

BEFORE = [("tasks", "0009_cluster_fingerprint"), ("integrations", None)]
AFTER = [("tasks", "0010_provider_error_count_to_integrations"),
         ("integrations", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_counts_of_an_existing_database():
    old_apps = migrate(BEFORE)
    OldCount = old_apps.get_model("tasks", "ProviderErrorCount")
    OldCount.objects.create(provider="openai_chat", error_type="rate_limit", count=7,
                            last_seen_at=timezone.now())

    new_apps = migrate(AFTER)

    with pytest.raises(LookupError):
        new_apps.get_model("tasks", "ProviderErrorCount")
    assert new_apps.get_model("integrations", "ProviderErrorCount")._meta.db_table == \
        "tasks_providererrorcount"
    assert list(ProviderErrorCount.objects.values_list("provider", "error_type", "count")) == \
        [("openai_chat", "rate_limit", 7)]
    ProviderErrorCount.objects.all().delete()


@pytest.mark.django_db
def test_migrated_database_has_the_table_under_its_old_name():
    """A fresh database (the test database, migrated from nothing) has exactly one table."""
    tables = connection.introspection.table_names()
    assert "tasks_providererrorcount" in tables
    assert not any(name.startswith("integrations_") for name in tables)
