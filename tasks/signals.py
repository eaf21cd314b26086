from django.dispatch import Signal

# Sent after commit for every persisted task event; args: event (TaskEvent), task (Task).
# The live-progress layer listens here to push events to WebSocket and SSE clients.
task_event_committed = Signal()
