from enum import StrEnum

class RoleEnum(StrEnum):
    DRAWING = "drawing"
    SPECIFICATION = "specification"

    def __str__(self) -> str:
        return str(self.value)
