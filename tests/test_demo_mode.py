"""Demo mode (a Hugging Face Space, or HIRELAB_DEMO=1): the setting, the in-memory store, training refused, only
runnable profiles offered, and the Space's own entry (`python app.py`) in Chromium: banner, samples, the Train
tab switched off, a visitor's screening leaving nothing under HIRELAB_HOME."""

from __future__ import annotations

import glob
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from core.config import Settings
from core.messages import LocalizedError, msg
from core.store import ResultRecord, Store
from core.store.tables import JobRow
from tests.conftest import listening_port
from tests.paths import REPO, SAMPLES


@pytest.fixture()
def no_demo_env(monkeypatch):
    monkeypatch.delenv("SPACE_ID", raising=False)
    monkeypatch.delenv("HIRELAB_DEMO", raising=False)
    return monkeypatch


def test_demo_is_read_from_space_id_and_hirelab_demo(no_demo_env, home):
    plain = Settings()
    assert not plain.demo and plain.db_url == f"sqlite:///{home / 'hirelab.db'}"
    no_demo_env.setenv("HIRELAB_DEMO", "0")
    assert not Settings().demo
    no_demo_env.setenv("HIRELAB_DEMO", "1")
    assert Settings().demo
    no_demo_env.delenv("HIRELAB_DEMO")
    no_demo_env.setenv("SPACE_ID", "someone/hirelab")
    on_space = Settings()
    assert on_space.demo and on_space.db_url == "sqlite://"  # the store in memory, whatever HIRELAB_DB_URL says
    assert home not in on_space.home.parents and on_space.home != home  # nothing written under HIRELAB_HOME
    assert on_space.runs_dir.parent == on_space.home and Settings().home == on_space.home  # one folder per process


def test_the_in_memory_store_migrates_and_round_trips():
    store = Store("sqlite://")
    assert "alembic_version" in inspect(store.engine).get_table_names()  # the migrations ran
    job_id = store.upsert_job("Python developer: Django, PostgreSQL, five years of experience")
    rec = ResultRecord(kind="fit", cache_key="k1", model_profile="rules", prompt_version="v", ok=True,
                       payload={"match_score": 71}, raw="{}", error=None, seconds=0.5, subject="a.pdf", job_id=job_id)
    store.save_result(rec)
    assert store.get_result("k1").payload == {"match_score": 71}
    store.save_run("screen-1", "screen", "job", "done", {"profile": "rules"})
    assert [r.id for r in store.list_runs("screen")] == ["screen-1"]

    def add(i: int) -> None:  # threads share the one connection: their transactions take turns
        for k in range(15):
            store.upsert_job(f"job {i}-{k}: a requirement line long enough")

    workers = [threading.Thread(target=add, args=(i,)) for i in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    with store.session() as s:
        assert len(s.scalars(select(JobRow)).all()) == 1 + 60
    assert Store("sqlite://").get_result("k1") is None  # another in-memory store starts empty


def test_training_refuses_in_demo_mode(no_demo_env):
    from training.launcher import LaunchError, TrainingDisabled, launch, register_run_adapter, resume_run
    from training.presets import preset

    no_demo_env.setenv("HIRELAB_DEMO", "1")
    runs = Settings().runs_dir
    for attempt in (lambda: launch(preset("cpu-smoke-sft")), lambda: resume_run("sft-1"),
                    lambda: register_run_adapter("sft-1")):
        with pytest.raises(TrainingDisabled) as caught:
            attempt()
        assert isinstance(caught.value, LaunchError) and isinstance(caught.value, LocalizedError)
        assert str(caught.value) == msg("demo_no_training", "en") and "switched off" in str(caught.value)
        assert caught.value.text("ru") == msg("demo_no_training", "ru") and "отключено" in caught.value.text("ru")
    assert not runs.exists()  # no run folder was made


def test_demo_pickers_offer_only_profiles_that_run_here(no_demo_env):
    from core.availability import check_profile
    from core.machine import cuda_available
    from core.models import load_profiles
    from core.services.demo import offered_profiles

    default, profiles = load_profiles()
    everything = list(profiles)
    here = [n for n in everything if check_profile(profiles[n]).ok]
    assert offered_profiles(everything, default)[0] == here  # outside demo mode too: those that run here
    no_demo_env.setenv("HIRELAB_DEMO", "1")
    _, in_demo = load_profiles()  # the shipped profiles (the demo reads no user profile file under HIRELAB_HOME)
    names, chosen = offered_profiles(everything, default)
    assert "rules" in names and chosen in names
    assert names == [n for n in everything if n in in_demo and check_profile(in_demo[n]).ok]
    if not cuda_available():
        assert "base" not in names and "reference" not in names  # GPU profiles on a machine without a GPU


def _wait_up(url: str, proc: subprocess.Popen, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"app.py exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"app.py did not answer at {url} within {seconds} s")


@pytest.mark.browser
@pytest.mark.slow
def test_demo_workbench_in_chromium_keeps_nothing(browser, tmp_path):
    """`python app.py` (what scripts/start.sh and the Space run) with HIRELAB_DEMO=1 and an empty HIRELAB_HOME."""
    visitor_home = tmp_path / "home"
    visitor_home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("HIRELAB_DB_URL", "SPACE_ID", "HIRELAB_PORT")}
    # port 0: the server binds a port the system picks before it starts serving
    env.update(HIRELAB_DEMO="1", HIRELAB_HOME=str(visitor_home), GRADIO_SERVER_PORT="0", HIRELAB_HOST="127.0.0.1")
    log = open(tmp_path / "app.log", "wb")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{listening_port(proc)}/"
    resume = tmp_path / "olga_petrova_nlp.txt"
    resume.write_text("Olga Petrova\nNLP engineer, 6 years of experience.\nPython, PyTorch, Hugging Face "
                      "Transformers, LLM fine-tuning with LoRA, RAG with FAISS, FastAPI, Docker.\n", encoding="utf-8")
    try:
        _wait_up(url, proc)
        page = browser.new_page()
        page.goto(url)
        banner = page.locator("#demo-banner")
        banner.wait_for(timeout=60_000)
        assert "nothing you upload is kept" in banner.inner_text()
        # the sample screening (rules) is on show, with its job and the four sample files
        cards = page.locator("[data-testid=report-card]")
        cards.first.wait_for(timeout=120_000)
        samples = sorted(p.name for p in (SAMPLES / "resumes").iterdir())
        shown = page.locator("#report-cards").inner_text()
        assert all(name in shown for name in samples) and cards.count() == len(samples)
        assert "rules" in page.locator("#screen-run-info").inner_text()
        assert page.locator("#job-text textarea").input_value().startswith("LLM Engineer")
        uploads = page.locator("#screen-files").inner_text()
        assert all(Path(name).stem in uploads for name in samples)
        # only the profiles that run here are offered (no CUDA GPU: not the 7B 'base')
        page.locator("#screen-profile input").click()
        options = page.locator("ul[role=listbox] li").all_inner_texts()
        page.keyboard.press("Escape")
        assert any("rules" in o for o in options) and not any(o.strip() == "base" for o in options)
        # the Train tab says training is off, and its launch button does nothing
        page.get_by_role("tab", name="Train").click()
        off = page.locator("#train-demo-off")
        off.wait_for(timeout=30_000)
        assert "Training is switched off" in off.inner_text()
        assert page.locator("#train-launch").is_disabled()
        # a visitor's own resume, screened
        page.get_by_role("tab", name="Screen resumes").click()
        page.locator("#screen-files input[type=file]").set_input_files(str(resume))
        page.locator("#screen-files").get_by_text("olga_petrova_nlp").first.wait_for(timeout=60_000)
        page.locator("#screen-run").click()
        page.locator("[data-testid=report-card]", has_text=resume.name).first.wait_for(timeout=120_000)
        assert "/100" in page.locator("[data-testid=report-card]", has_text=resume.name).first.inner_text()
        page.close()
        # a Russian browser reads the banner in Russian
        ru = browser.new_context(locale="ru-RU")
        ru_page = ru.new_page()
        ru_page.goto(url)
        ru_page.locator("#demo-banner").wait_for(timeout=60_000)
        assert ru_page.locator("#demo-banner").inner_text().startswith("Демо: ничего из загруженного")
        ru.close()
        assert list(visitor_home.iterdir()) == []  # no hirelab.db, no runs, nothing at all
        exports = glob.glob(os.path.join(tempfile.gettempdir(), f"hirelab-demo-downloads-{proc.pid}-*", "*", "*.csv"))
        assert exports  # the visitor's CSV went to the demo's own temporary folder
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    # the process's temporary folders are gone with it
    assert glob.glob(os.path.join(tempfile.gettempdir(), f"hirelab-demo-*{proc.pid}-*")) == []
