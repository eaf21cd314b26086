from enum import StrEnum

class EntitiesCostsRetrieveGroupBy(StrEnum):
    DAY = "day"
    OPERATION_TYPE = "operation_type"
    SERVICE = "service"
    TASK_TYPE = "task_type"

    def __str__(self) -> str:
        return str(self.value)
