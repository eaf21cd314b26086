import factory
from django.contrib.auth import get_user_model

from costs.models import Entity


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ("entity_id",)

    entity_id = factory.Sequence(lambda n: f"company_{n}")
    name = factory.LazyAttribute(lambda o: o.entity_id.replace("_", " ").title())
