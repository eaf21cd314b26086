from django.db import migrations, models


class Migration(migrations.Migration):
    """ProviderErrorCount, taken over from the tasks app with its table.

    State only: on a fresh database the table is created by tasks' migration 0006 (and
    named for it); on an existing one it is there with its rows. Either way nothing is
    created or copied here.
    """

    initial = True

    dependencies = [
        ('tasks', '0010_provider_error_count_to_integrations'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ProviderErrorCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=40)),
                        ('error_type', models.CharField(choices=[('rate_limit', 'rate limited (429)'), ('quota', 'quota exhausted (429 insufficient_quota)'), ('server_error', 'server error (5xx)'), ('timeout', 'no answer in time'), ('connection', 'could not connect or the connection broke'), ('authentication', 'API key refused (401)'), ('permission_denied', 'access refused (403)'), ('bad_request', 'request refused (other 4xx)'), ('invalid_response', 'an answer that could not be used')], max_length=24)),
                        ('count', models.BigIntegerField(default=0)),
                        ('last_seen_at', models.DateTimeField()),
                    ],
                    options={
                        'db_table': 'tasks_providererrorcount',
                        'ordering': ['provider', 'error_type'],
                        'constraints': [models.UniqueConstraint(fields=('provider', 'error_type'), name='provider_error_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
