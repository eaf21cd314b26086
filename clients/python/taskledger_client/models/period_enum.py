from enum import StrEnum

class PeriodEnum(StrEnum):
    DAY = "day"
    MONTH = "month"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
