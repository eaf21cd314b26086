from django.db import migrations


class Migration(migrations.Migration):
    """ProviderErrorCount now belongs to the integrations app; its table stays as it is.

    State only: the table `tasks_providererrorcount` and its rows are kept, and
    integrations' first migration takes the model over with that table.
    """

    dependencies = [
        ('tasks', '0009_cluster_fingerprint'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ProviderErrorCount')],
            database_operations=[],
        ),
    ]
