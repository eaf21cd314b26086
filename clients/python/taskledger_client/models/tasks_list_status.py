from enum import StrEnum

class TasksListStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PENDING = "pending"
    PROCESSING = "processing"
    VALUE_0 = ""

    def __str__(self) -> str:
        return str(self.value)
