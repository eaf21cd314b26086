from enum import StrEnum

class ScheduleWriteCatchUpPolicyEnum(StrEnum):
    ONE = "one"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
