from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from articles import jobs, receivers  # noqa: F401  (job kind and task-event listener)
