"""The operator's pages: the editable catalogue and the re-run analysis action."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, CostIndex
from tasks.models import Task
from tests.articles.helpers import analyze, run_article

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def _messages(response):
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_admin_article_pages_render(admin_client, api, settings):
    settings.AI_PROVIDER = "local"
    article = run_article(analyze(api).json()["id"])
    assert admin_client.get(ARTICLES).status_code == 200
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.status_code == 200 and article.task.task_id in page.content.decode()


def test_admin_rerun_action_queues_fresh_analysis_and_refuses_running(admin_client, api, settings):
    settings.AI_PROVIDER = "local"
    done = run_article(analyze(api, name="done").json()["id"])
    running = Article.objects.get(pk=analyze(api, name="running").json()["id"])
    old_task = done.task
    response = admin_client.post(ARTICLES, {"action": "reanalyze_selected",
                                            "_selected_action": [done.pk, running.pk]},
                                 follow=True)
    done.refresh_from_db()
    assert done.task != old_task and done.task.params == {"article_id": done.pk, "fresh": True}
    assert done.processing_status == "processing"
    assert Task.objects.filter(kind="article.analyze").count() == 3
    messages = _messages(response)
    assert ("success", "1 analysis task(s) queued.") in messages
    assert any(level == "warning" and f"Article {running.pk} is still being analysed" in text
               for level, text in messages)


def test_admin_cost_index_is_editable_not_deletable(admin_client):
    steel = CostIndex.objects.get(code="steel")
    url = reverse("admin:articles_costindex_change", args=[steel.pk])
    response = admin_client.post(url, {"code": "steel", "name": "Steel (EU)", "unit": "EUR/t",
                                       "description": "", "keywords": "steel", "is_active": "on"})
    assert response.status_code == 302
    steel.refresh_from_db()
    assert steel.name == "Steel (EU)"
    assert admin_client.get(reverse("admin:articles_costindex_delete", args=[steel.pk])).status_code == 403


def _listed(response):
    assert response.status_code == 200
    return {article.article_name for article in response.context["cl"].result_list}


def test_admin_article_search_by_whole_task_or_entity_id_or_part_of_name(admin_client):
    from tasks.services import task_create
    from tests.factories import EntityFactory

    acme = EntityFactory(entity_id="acme")
    task = task_create(kind="noop", entity=acme)
    Article.objects.create(article_name="Steel beam", entity=acme, task=task)
    Article.objects.create(article_name="Glass pane", entity=acme)
    Article.objects.create(article_name="Steel bolt")

    assert _listed(admin_client.get(ARTICLES, {"q": task.task_id})) == {"Steel beam"}
    assert _listed(admin_client.get(ARTICLES, {"q": "acme"})) == {"Steel beam", "Glass pane"}
    assert _listed(admin_client.get(ARTICLES, {"q": "steel"})) == {"Steel beam", "Steel bolt"}


def test_admin_article_provider_filter_offers_the_configurable_providers(admin_client):
    Article.objects.create(article_name="Local", analysis_provider="local")
    Article.objects.create(article_name="Remote", analysis_provider="openai")
    Article.objects.create(article_name="Waiting")

    assert _listed(admin_client.get(ARTICLES, {"analysis_provider": "openai"})) == {"Remote"}
    assert _listed(admin_client.get(ARTICLES, {"analysis_provider": "none"})) == {"Waiting"}


def test_admin_article_change_page_links_its_analysis_ledger_records(admin_client):
    from tasks.services import task_create

    task = task_create(kind="noop")
    article = Article.objects.create(article_name="Beam", task=task)

    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert f"/admin/costs/requestrecord/?q={task.task_id}" in page.content.decode()
