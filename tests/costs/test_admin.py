import pytest
from django.urls import reverse

from costs.models import Entity
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:costs_entity_changelist")


def listed(response) -> list[tuple[str, int]]:
    entities = response.context["cl"].result_list
    return [(entity.entity_id, entity.member_count) for entity in entities]


def test_entity_changelist_shows_member_counts(admin_client):
    acme = EntityFactory(entity_id="acme", name="Acme Corp")
    acme.members.add(UserFactory(username="ann"), UserFactory(username="bob"))
    EntityFactory(entity_id="globex")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [("acme", 2), ("globex", 0)]
    assert "Acme Corp" in response.content.decode()


def test_entity_changelist_searches_entity_id_and_name(admin_client):
    EntityFactory(entity_id="acme", name="Acme Corp")
    EntityFactory(entity_id="globex", name="Globex Industries")

    assert listed(admin_client.get(CHANGELIST, {"q": "glob"})) == [("globex", 0)]
    assert listed(admin_client.get(CHANGELIST, {"q": "corp"})) == [("acme", 0)]


def test_entity_changelist_sorts_by_member_count(admin_client):
    lonely = EntityFactory(entity_id="a_lonely")
    busy = EntityFactory(entity_id="b_busy")
    busy.members.add(UserFactory(username="ann"), UserFactory(username="bob"))
    lonely.members.add(UserFactory(username="cid"))
    member_count_column = 3  # entity_id, name, member_count

    response = admin_client.get(CHANGELIST, {"o": f"-{member_count_column}"})

    assert listed(response) == [("b_busy", 2), ("a_lonely", 1)]


def test_entity_add_with_members(admin_client):
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")

    page = admin_client.get(reverse("admin:costs_entity_add"))
    assert 'class="selectfilter"' in page.content.decode()  # filter_horizontal
    response = admin_client.post(
        reverse("admin:costs_entity_add"),
        {"entity_id": "initech", "name": "Initech", "members": [ann.pk, bob.pk]},
    )

    assert response.status_code == 302
    entity = Entity.objects.get(entity_id="initech")
    assert set(entity.members.values_list("username", flat=True)) == {"ann", "bob"}


def test_entity_add_rejects_invalid_entity_id(admin_client):
    response = admin_client.post(
        reverse("admin:costs_entity_add"), {"entity_id": "has space", "name": "x"}
    )

    assert response.status_code == 200
    assert "entity_id must be 1-64 letters" in response.content.decode()
    assert not Entity.objects.exists()


def test_entity_change_keeps_entity_id(admin_client):
    """Ledger lines name their entity by entity_id, so it cannot be renamed here."""
    entity = EntityFactory(entity_id="acme", name="Acme")
    ann = UserFactory(username="ann")

    response = admin_client.post(
        reverse("admin:costs_entity_change", args=[entity.pk]),
        {"entity_id": "renamed", "name": "Acme Corp", "members": [ann.pk]},
    )

    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.entity_id, entity.name) == ("acme", "Acme Corp")
    assert list(entity.members.all()) == [ann]


def test_entity_admin_redirects_non_staff_to_login(client):
    client.force_login(UserFactory(username="member", is_staff=False))

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
