from django.db import migrations

from costs.defaults import EFFECTIVE_FROM, default_prices_load


def load(apps, schema_editor):
    default_prices_load(apps.get_model("costs", "Price"))


def unload(apps, schema_editor):
    apps.get_model("costs", "Price").objects.filter(effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("costs", "0002_price_requestrecord_usageline_and_more")]

    operations = [migrations.RunPython(load, unload)]
