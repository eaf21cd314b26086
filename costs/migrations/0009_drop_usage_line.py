"""The usage lines live on their records since 0008."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("costs", "0008_usage_from_lines"),
    ]

    operations = [
        migrations.DeleteModel(
            name="UsageLine",
        ),
    ]
