from enum import StrEnum

class TasksListPriority(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    LOW = "low"
    NORMAL = "normal"
    VALUE_0 = ""

    def __str__(self) -> str:
        return str(self.value)
