from django.dispatch import Signal

# Sent inside the transaction that persists a task event; args: event (TaskEvent), task (Task).
# For state that must change with the task's, atomically (a document's or an article's
# status): a receiver's error rolls the transition back with it.
task_event_recorded = Signal()

# Sent after commit for every persisted task event; args: event (TaskEvent), task (Task).
# The live-progress layer listens here to push events to WebSocket and SSE clients.
task_event_committed = Signal()

# Sent after the finished-task purge; args: cutoff (the tasks'). Apps that keep rows about
# tasks (a schedule's runs) purge theirs here, each by its own retention.
tasks_purged = Signal()

# Sent after commit when tasks may have become ready (created, retried, freed by a
# prerequisite's end), in django-q2's sync mode only, which has no cluster to take them:
# the runner runs them in this process (tasks.runner.run_ready).
tasks_ready = Signal()
