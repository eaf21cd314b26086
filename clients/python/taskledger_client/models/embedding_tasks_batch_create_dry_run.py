from enum import StrEnum

class EmbeddingTasksBatchCreateDryRun(StrEnum):
    FALSE = "false"
    NO = "no"
    TRUE = "true"
    VALUE_0 = "1"
    VALUE_1 = "0"
    VALUE_6 = ""
    YES = "yes"

    def __str__(self) -> str:
        return str(self.value)
