from rest_framework import serializers


class BlankAsNullCharField(serializers.CharField):
    """An empty text column renders as null (seed 000 and 001 show a missing value as null)."""

    def to_representation(self, value):
        return super().to_representation(value) or None
