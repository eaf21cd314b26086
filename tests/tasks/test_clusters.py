"""Clusters from different checkouts on one database are flagged in /healthz and the overview."""
import pytest
from django.test import Client
from django.utils import timezone

from tasks.clusters import cluster_heartbeat_beat, cluster_mismatch, code_version
from tasks.models import ClusterHeartbeat
from tasks.registry import job_kind_names
from tests.processes import wait_for

pytestmark = pytest.mark.django_db


def _beat(name, *, version="v1", kinds=("noop", "demo.count"), age_seconds=0):
    now = timezone.now() - timezone.timedelta(seconds=age_seconds)
    return ClusterHeartbeat.objects.create(
        name=name, cluster="taskledger", host="h", pid=1, workers=2, started_at=now,
        last_seen_at=now, code_version=version, job_kinds=list(kinds))


def test_cluster_heartbeat_records_its_code_and_job_kinds():
    cluster_heartbeat_beat(started_at=timezone.now())

    heartbeat = ClusterHeartbeat.objects.get()
    assert heartbeat.code_version == code_version() and len(code_version()) == 16
    assert heartbeat.job_kinds == sorted(job_kind_names()) and "noop" in heartbeat.job_kinds


def test_clusters_that_agree_are_not_flagged():
    _beat("a@h:1")
    _beat("b@h:2")
    _beat("old@h:3", version="v0", age_seconds=3600)  # long gone: not counted

    assert cluster_mismatch() is None


def test_clusters_with_other_job_kinds_or_code_are_flagged():
    _beat("a@h:1")
    _beat("b@h:2", kinds=("noop",))
    _beat("c@h:3", version="v2")

    mismatch = cluster_mismatch()

    assert mismatch["kinds_not_everywhere"] == ["demo.count"]
    assert sorted(group["clusters"] for group in mismatch["fingerprints"]) == [
        ["a@h:1"], ["b@h:2"], ["c@h:3"]]


def test_healthz_flags_clusters_from_different_checkouts(db):
    _beat("a@h:1")
    _beat("b@h:2", version="v2", kinds=("noop",))

    response = Client().get("/healthz")

    assert response.status_code == 503
    workers = response.json()["checks"]["workers"]
    assert workers["status"] == "degraded"
    assert "clusters from different checkouts share this database" in workers["error"]
    assert "job kinds not on every cluster: demo.count" in workers["error"]
    assert workers["mismatch"]["kinds_not_everywhere"] == ["demo.count"]
    assert Client().get("/readyz").status_code == 200  # a rolling deploy passes through this


def test_overview_flags_clusters_from_different_checkouts(client, staff):
    client.force_login(staff)
    _beat("a@h:1")
    agreed = client.get("/admin/overview/").content.decode()
    _beat("b@h:2", version="v2")

    flagged = client.get("/admin/overview/").content.decode()

    assert 'data-role="mismatch"' not in agreed
    assert 'data-role="mismatch"' in flagged
    assert "a@h:1 run code v1; b@h:2 run code v2" in flagged


@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_healthz_flags_a_second_real_cluster_with_other_job_kinds(qcluster):
    """Two qclusters on one database, one of them able to run more kinds of job."""
    qcluster()
    qcluster(TASK_JOB_MODULES="tests.tasks.jobs_for_workers", Q_CLUSTER_NAME="other-checkout")

    def flagged():
        body = Client().get("/healthz").json()["checks"]["workers"]
        return body if body.get("mismatch") else None

    body = wait_for(flagged, 60, 0.3, "/healthz to flag the second cluster")
    assert body["clusters"] == 2
    assert body["mismatch"]["kinds_not_everywhere"]
