from enum import StrEnum

class ScheduleOverlapPolicyEnum(StrEnum):
    ALLOW = "allow"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
