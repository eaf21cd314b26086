from rest_framework import serializers


class BlankAsNullCharField(serializers.CharField):
    """An empty text column renders as null: clients read a missing value as null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)  # what it renders, so the schema says so
        super().__init__(**kwargs)

    def to_representation(self, value):
        return super().to_representation(value) or None
