from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self):
        from importlib import import_module

        from django.conf import settings

        from tasks import checks, jobs  # noqa: F401  (register system checks, built-in job kinds)
        from tasks.push import push_connect

        push_connect()

        for module in settings.TASK_JOB_MODULES:
            import_module(module)
