from enum import StrEnum

class FormatEnum(StrEnum):
    CSV = "csv"
    DOCX = "docx"
    HTML = "html"
    MD = "md"
    PDF = "pdf"
    TXT = "txt"

    def __str__(self) -> str:
        return str(self.value)
