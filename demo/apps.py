from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Sample data for newcomers (`manage.py load_demo`); no models, no URLs."""

    name = "demo"
    verbose_name = "Demo data"
