from enum import StrEnum

class RequestsListFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    VALUE_2 = ""

    def __str__(self) -> str:
        return str(self.value)
