from enum import StrEnum

class EntitiesCostsRetrieveFormat(StrEnum):
    CSV = "csv"
    JSON = "json"

    def __str__(self) -> str:
        return str(self.value)
