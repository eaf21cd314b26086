"""Making entities without the admin: `manage.py entity_create` and `POST /api/entities/`."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from costs.models import Entity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_entity_create_command_makes_the_entity_with_members():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    out = StringIO()

    call_command("entity_create", "company_123", "--name", "Company 123", "--member", "alice",
                 "--member", "bob", stdout=out)

    entity = Entity.objects.get(entity_id="company_123")
    assert entity.name == "Company 123"
    assert set(entity.members.all()) == {alice, bob}
    assert "Entity 'company_123' created (Company 123) with members alice, bob." in out.getvalue()


@pytest.mark.parametrize("args, message", [
    (["company 123"], "entity_id must be 1-64 letters"),
    (["company_123", "--member", "nobody"], "no such user: nobody"),
])
def test_entity_create_command_refuses_bad_input_and_writes_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("entity_create", *args, stdout=StringIO())

    assert not Entity.objects.filter(entity_id__startswith="company").exists()


def test_entity_create_command_refuses_an_existing_id(entity):
    with pytest.raises(CommandError, match="entity company_123 already exists"):
        call_command("entity_create", "company_123", stdout=StringIO())


def test_entity_create_api_for_staff(staff_api):
    UserFactory(username="carol")

    response = staff_api.post("/api/entities/", {"entity_id": "company_789", "name": "Acme",
                                                 "members": ["carol"]}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["entity_id"], body["name"], body["members"]) == ("company_789", "Acme", ["carol"])
    assert Entity.objects.get(entity_id="company_789").members.get().username == "carol"


def test_entity_create_api_then_used_by_a_member(staff_api, client_for):
    carol = UserFactory(username="carol")
    staff_api.post("/api/entities", {"entity_id": "company_789", "members": ["carol"]},
                   format="json")

    created = client_for(carol).post("/api/tasks/", {"kind": "noop"}, format="json")

    assert created.status_code == 201 and created.json()["entity_id"] == "company_789"


@pytest.mark.parametrize("body, status, text", [
    ({"entity_id": "company_123"}, 409, "entity company_123 already exists"),
    ({"entity_id": "bad id"}, 400, "entity_id must be"),
    ({"entity_id": "company_9", "members": ["ghost"]}, 400, "no such user: ghost"),
    ({"name": "no id"}, 400, "entity_id"),
])
def test_entity_create_api_refusals(staff_api, entity, body, status, text):
    before = set(Entity.objects.values_list("entity_id", flat=True))

    response = staff_api.post("/api/entities/", body, format="json")

    assert response.status_code == status
    assert text in response.json()["detail"]
    assert set(Entity.objects.values_list("entity_id", flat=True)) == before


def test_entity_create_api_is_for_staff_only(api, entity):
    response = api.post("/api/entities/", {"entity_id": "company_999"}, format="json")

    assert response.status_code == 403
    assert not Entity.objects.filter(entity_id="company_999").exists()
