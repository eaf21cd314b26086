from enum import StrEnum

class BatchItemStatusEnum(StrEnum):
    FAILED = "failed"
    QUEUED = "queued"

    def __str__(self) -> str:
        return str(self.value)
