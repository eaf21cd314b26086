from django.apps import AppConfig


def _reservation_follow(sender, event, task, **kwargs):
    from budgets.services import reservation_follow

    reservation_follow(task=task, event_type=event.event_type)


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "Budgets"

    def ready(self):
        from budgets import webhooks  # noqa: F401  (registers the webhook job kind)
        from budgets.serializers import BatchEstimateSerializer
        from budgets.services import budget_check
        from tasks.dryrun import dry_run_verdict_register
        from tasks.openapi import batch_estimate_register
        from tasks.signals import task_event_recorded

        # In the transaction of every task event, the closer's batched completions included
        # (tasks.outcomes sends it per completed task): a task that ends releases its
        # reservation with its terminal event; a manual retry takes a new one.
        task_event_recorded.connect(_reservation_follow, dispatch_uid="budgets.reservation")
        # The task framework sits below budgets: the task endpoints' dry runs ask the
        # entity's budgets through tasks.dryrun, and their schema names the batch's estimate.
        dry_run_verdict_register(budget_check)
        batch_estimate_register(BatchEstimateSerializer)
