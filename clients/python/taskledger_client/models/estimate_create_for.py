from enum import StrEnum

class EstimateCreateFor(StrEnum):
    ANALYSIS = "analysis"
    EMBEDDING = "embedding"
    EMBEDDING_BATCH = "embedding_batch"
    TASK = "task"
    TASK_BATCH = "task_batch"
    UPLOAD = "upload"

    def __str__(self) -> str:
        return str(self.value)
