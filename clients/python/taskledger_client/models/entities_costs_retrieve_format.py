from enum import StrEnum

class EntitiesCostsRetrieveFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    VALUE_2 = ""

    def __str__(self) -> str:
        return str(self.value)
