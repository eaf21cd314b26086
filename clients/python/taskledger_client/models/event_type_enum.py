from enum import StrEnum

class EventTypeEnum(StrEnum):
    PROGRESS_UPDATE = "progress_update"
    TASK_CANCELLED = "task_cancelled"
    TASK_COMPLETED = "task_completed"
    TASK_FAILED = "task_failed"
    TASK_RETRYING = "task_retrying"
    TASK_STARTED = "task_started"

    def __str__(self) -> str:
        return str(self.value)
