from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self):
        from tasks import jobs  # noqa: F401  (registers the built-in job kinds)
