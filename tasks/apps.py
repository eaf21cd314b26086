from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self):
        from importlib import import_module

        from django.conf import settings

        from tasks import jobs  # noqa: F401  (registers the built-in job kinds)

        for module in settings.TASK_JOB_MODULES:
            import_module(module)
