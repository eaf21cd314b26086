from enum import StrEnum

class OutcomeEnum(StrEnum):
    ERROR = "error"
    FIRED = "fired"
    MISSED = "missed"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return str(self.value)
