"""Every changelist that lists an entity's rows filters them by the entity's own id
(`?entity_id=company_123`), as the API does, not by its database key."""
import pytest
from django.urls import reverse

from articles.models import Article
from costs.services import request_record_open
from embeddings.services import document_submit, knowledge_base_create
from tasks.services import task_create

pytestmark = pytest.mark.django_db

CHANGELISTS = ["tasks_task", "costs_requestrecord", "embeddings_knowledgebase",
               "embeddings_document", "articles_article"]


def _rows_of(entity, n):
    task_create(kind="noop", entity=entity)
    request_record_open(operation_type="api", endpoint="/api/tasks/", method="POST",
                        entity=entity)
    knowledge_base = knowledge_base_create(entity=entity, name=f"kb {n}")
    document_submit(entity=entity, knowledge_base=knowledge_base, content=f"text {n}")
    Article.objects.create(article_name=f"article {n}", entity=entity)


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_admin_changelists_filter_by_the_entitys_own_id(admin_client, entity, other_entity,
                                                       changelist):
    _rows_of(entity, 1)
    _rows_of(other_entity, 2)
    url = reverse(f"admin:{changelist}_changelist")

    everything = admin_client.get(url).context["cl"].result_count
    ours = admin_client.get(url, {"entity_id": entity.entity_id})

    assert ours.status_code == 200
    rows = ours.context["cl"].result_list
    assert 0 < len(rows) < everything
    assert {row.entity_id for row in rows} == {entity.pk}
    assert f'?entity_id={other_entity.entity_id}' in ours.content.decode()  # a choice


def test_admin_knowledge_bases_are_found_by_their_entitys_id(admin_client, entity, other_entity):
    knowledge_base_create(entity=entity, name="manuals")
    knowledge_base_create(entity=other_entity, name="catalogue")

    found = admin_client.get(reverse("admin:embeddings_knowledgebase_changelist"),
                             {"q": entity.entity_id}).context["cl"].result_list

    assert [kb.name for kb in found] == ["manuals"]
