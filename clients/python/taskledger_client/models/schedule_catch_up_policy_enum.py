from enum import StrEnum

class ScheduleCatchUpPolicyEnum(StrEnum):
    ONE = "one"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
