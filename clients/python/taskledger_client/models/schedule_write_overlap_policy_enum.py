from enum import StrEnum

class ScheduleWriteOverlapPolicyEnum(StrEnum):
    ALLOW = "allow"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
