"""Every paid request has a payer: the caller's entity, else the deployment's default one."""
import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from costs.models import Entity, RequestRecord
from costs.services import daily_cost_rebuild, request_record_open, usage_record
from tests.articles.helpers import analyze, run_task
from tests.factories import EntityFactory, UserFactory

pytestmark = pytest.mark.django_db


def default_entity() -> Entity:
    return Entity.objects.get(entity_id=settings.DEFAULT_ENTITY_ID)


def test_migrate_makes_the_default_entity_the_setting_names(settings):
    assert default_entity().entity_id == "default"

    settings.DEFAULT_ENTITY_ID = "house_account"
    call_command("migrate", verbosity=0)

    assert Entity.objects.filter(entity_id="house_account").exists()


def test_analyze_without_entity_id_as_staff_bills_the_default_entity(staff_api, settings,
                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = analyze(staff_api)

    assert response.status_code == 201, response.content
    assert response.json()["entity_id"] == "default"
    article = Article.objects.get(pk=response.json()["id"])
    run_task(article.task)
    records = RequestRecord.objects.filter(task_id=article.task.task_id)
    assert any(record.usage for record in records)  # the analysis's usage was recorded
    assert set(records.values_list("entity__entity_id", flat=True)) == {"default"}


def test_analyze_without_entity_id_as_member_of_one_bills_that_entity(api, entity, tmp_path,
                                                                     settings):
    settings.MEDIA_ROOT = tmp_path
    assert analyze(api).json()["entity_id"] == "company_123"


def test_member_of_several_entities_gets_the_default_one_only_if_a_member_of_it(
    client_for, entity, other_entity, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = UserFactory(username="two_hats")
    entity.members.add(member)
    other_entity.members.add(member)

    response = analyze(client_for(member))
    assert response.status_code == 400
    assert response.json()["code"] == "entity_required"

    default_entity().members.add(member)
    assert analyze(client_for(member)).json()["entity_id"] == "default"


def test_an_entity_the_caller_may_not_bill_is_still_refused(api, entity, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    EntityFactory(entity_id="company_456")

    for entity_id in ("company_456", "default"):
        response = analyze(api, entity_id=entity_id)
        assert response.status_code == 404
        assert response.json()["detail"] == f"Entity {entity_id} not found"


def test_usage_on_a_record_of_no_entity_is_billed_to_the_default_entity(db):
    record = request_record_open(operation_type="search", endpoint="/api/x", method="GET")

    usage_record(record=record, service_type="file_processor", unit="pages", quantity=3)

    record.refresh_from_db()
    assert record.entity == default_entity()
    assert not RequestRecord.objects.filter(entity__isnull=True, cost__gt=0).exists()


def test_overview_counts_unattributed_paid_usage_from_before(client, staff, entity):
    record = request_record_open(operation_type="search", endpoint="/api/x", method="GET",
                                 entity=entity)
    usage_record(record=record, service_type="file_processor", unit="pages", quantity=3)
    client.force_login(staff)
    assert "Every paid usage line belongs to an entity." in client.get("/admin/overview/").content.decode()

    # A record of no entity, as the ledger kept them before every paid request was attributed.
    RequestRecord.objects.filter(pk=record.pk).update(entity=None)
    daily_cost_rebuild()

    page = client.get("/admin/overview/").content.decode()
    assert 'data-role="unattributed">1 paid usage line ($0.0060) belong to no entity' in page
