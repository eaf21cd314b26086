import cProfile, pstats, time
import pytest
pytestmark = pytest.mark.django_db

def test_prof(api, entity, settings):
    settings.TASK_CREATE_RATE_USER = None
    settings.TASK_CREATE_RATE_ENTITY = None
    items = [{"content": f"Document {i}: the beam is steel, the deck is oak.", "document_id": f"d{i}", "entity_id": "company_123"} for i in range(1000)]
    api.post("/api/v1/embedding-tasks/batch", [{"content": "warm", "entity_id": "company_123"}], format="json")
    t = time.perf_counter()
    r = api.post("/api/v1/embedding-tasks/batch", items[:100], format="json")
    print("took", time.perf_counter() - t, r.status_code, r.json()["queued"])
    prof = cProfile.Profile()
    prof.enable()
    r = api.post("/api/v1/embedding-tasks/batch", items[100:200], format="json")
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(50)
