from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

entity_id_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$",
    "entity_id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
)


class Entity(models.Model):
    """A tenant: who owns tasks and documents, and who pays for the work done for them."""

    entity_id = models.CharField(max_length=64, unique=True, validators=[entity_id_validator])
    name = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="entities", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["entity_id"]

    def __str__(self):
        return self.entity_id
