"""Store round trip on a real SQLite file, migrations applied, data survives reopening."""

from sqlalchemy import inspect, text

from core.store import ResultRecord, Store


def test_round_trip_survives_reopen(tmp_path):
    url = f"sqlite:///{tmp_path / 'hl.db'}"
    s1 = Store(url)
    job_id = s1.upsert_job("Python developer\nDjango, PostgreSQL")
    assert s1.upsert_job("Python developer\nDjango, PostgreSQL") == job_id  # same text, same row
    doc_id = s1.upsert_document("ab" * 32, "cv.pdf", "application/pdf", "en", 1, "Ivan, Python", {"warnings": []})
    s1.save_result(ResultRecord(kind="fit", cache_key="k1", model_profile="offline", prompt_version="fit-v1", ok=False,
                                payload=None, raw="{broken", error="invalid JSON", seconds=1.5, subject="cv.pdf",
                                document_id=doc_id, job_id=job_id))
    s1.save_result(ResultRecord(kind="fit", cache_key="k1", model_profile="offline", prompt_version="fit-v1", ok=True,
                                payload={"match_score": 70}, raw="{}", error=None, seconds=2.0, subject="cv.pdf",
                                document_id=doc_id, job_id=job_id))
    s1.engine.dispose()

    s2 = Store(url)  # a second process opening the same file
    row = s2.get_result("k1")
    assert row is not None and row.ok and row.payload == {"match_score": 70}
    assert [r.cache_key for r in s2.list_results("fit")] == ["k1"]
    assert s2.get_document(doc_id).filename == "cv.pdf"
    with s2.engine.connect() as conn:
        version = conn.execute(text("select version_num from alembic_version")).scalar_one()
    assert version  # schema is under migration control
    assert {"jobs", "documents", "results", "runs"} <= set(inspect(s2.engine).get_table_names())


def test_failed_result_keeps_raw_text(store):
    store.save_result(ResultRecord(kind="grade", cache_key="g", model_profile="offline", prompt_version="v", ok=False,
                                   payload=None, raw="not json at all", error="no JSON object", seconds=0.1))
    row = store.get_result("g")
    assert row.ok is False and row.payload is None and row.raw == "not json at all"


def test_runs_are_listed_newest_first(store):
    store.save_run("r1", "sft", "first", "running", {"lr": 1e-4})
    store.save_run("r2", "sft", "second", "running", {"lr": 2e-4})
    store.set_run_status("r1", "stopped", {"steps": 3})
    runs = store.list_runs("sft")
    assert {r.id for r in runs} == {"r1", "r2"}
    assert store.get_run("r1").status == "stopped" and store.get_run("r1").summary == {"steps": 3}
