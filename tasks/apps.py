from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Tasks"

    def ready(self):
        from importlib import import_module

        from django.conf import settings

        from tasks import checks, jobs  # noqa: F401  (register system checks, built-in job kinds)
        from costs.finality import open_tasks_register
        from tasks.live.push import push_connect
        from tasks.runner import run_ready_connect
        from tasks.selectors import entity_tasks_open, task_ids_open, task_subtask_ids

        push_connect()
        run_ready_connect()
        open_tasks_register(among=task_ids_open, of_entity=entity_tasks_open,
                            subtasks=task_subtask_ids)

        for module in settings.TASK_JOB_MODULES:
            import_module(module)
