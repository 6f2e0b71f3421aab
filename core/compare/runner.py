"""Run a comparison: every model grades every answer in each repeat (through the one grading
service), the judge rates each analysis, optionally pairwise in both orders; statistics at the end.

Everything is kept in the store: the run in ``runs`` (kind "compare"), each repeat's grade, verdict
and pairwise judgment as a ``results`` row whose subject is the run id.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from itertools import combinations
from pathlib import Path

from pydantic import BaseModel

from core.bounds import check_text
from core.compare.judge import JudgeJob, PairJob, run_judge, run_pairwise
from core.compare.plan import ComparePlan, make_plan
from core.compare.records import CompareConfig, CompareItem, GradeRecord, JudgeRecord
from core.compare.result import RUN_KIND, CompareRun, CompareRunEntry
from core.compare.summary import CompareStats, compute_stats
from core.engines import EngineUnavailable
from core.models import ProfileError, get_profile
from core.schemas import PairwiseVerdict
from core.messages import LocalizedError, msg
from core.services.common import Progress, cache_key, part_of, progress_lang, report
from core.store import ResultRecord, Store, get_store

MAX_ITEMS = 2000
KINDS = {"grade": "compare_grade", "judge": "compare_judge", "pair": "compare_pair"}


class CompareError(LocalizedError):
    """The comparison cannot start; the message says what is wrong and what to do."""


# inputs ---------------------------------------------------------------------------------------
def items_from_inputs(inputs: list) -> list[CompareItem]:
    """CompareItems from the grading service's AnswerInput rows (ids are 1-based positions)."""
    return [CompareItem(id=str(n), question=a.question, answer=a.answer, reference=a.reference,
                        candidate=a.candidate or None, human_score=a.human_score) for n, a in enumerate(inputs, 1)]


def load_items(path: str | Path, lang: str = "en") -> tuple[list[CompareItem], list[str]]:
    """Answers from a CSV/JSONL/XLSX file (the grading service's reader): items and unreadable rows (in ``lang``)."""
    from core.services.answer_files import AnswerFileError, read_answer_file

    try:
        inputs, errors = read_answer_file(path)
    except AnswerFileError as exc:
        raise CompareError(exc.text(lang)) from exc
    return items_from_inputs(inputs), [e.text(lang) for e in errors]


def items_for_candidate(candidate: str, store: Store | None = None) -> list[CompareItem]:
    """A candidate's answers already graded and stored (each question once, newest first)."""
    from core.schemas import AnswerGrade

    check_text("name", candidate)  # core.bounds
    store = store or get_store()
    seen: set[tuple[str, str]] = set()
    inputs: list[CompareItem] = []
    for row in store.list_results("grade", subject=candidate, limit=MAX_ITEMS):
        if not row.payload:
            continue
        g = AnswerGrade.model_validate(row.payload)
        if (g.question, g.answer) in seen:
            continue
        seen.add((g.question, g.answer))
        inputs.append(CompareItem(id=str(len(inputs) + 1), question=g.question, answer=g.answer,
                                  reference=g.reference_used, candidate=candidate, human_score=g.human_score))
    if not inputs:
        raise CompareError(f"no stored answers for candidate {candidate!r}; grade their answers first "
                           "(Score answers tab or `hirelab grade`), or give an answer file.")
    return inputs


def plan_comparison(cfg: CompareConfig, n_items: int, gpu_gb: float | None = None) -> ComparePlan:
    """What will run where, in which order, and about how long (``gpu_gb``: plan for that card)."""
    try:
        return make_plan(cfg, n_items, gpu_gb)
    except ProfileError as exc:
        raise CompareError(str(exc)) from exc


# running --------------------------------------------------------------------------------------
class _Clock:
    """Maps each plan step's progress onto the whole run, weighted by the step's estimated time."""

    def __init__(self, plan: ComparePlan, progress: Progress | None) -> None:
        total = sum(max(s.seconds, 1.0) for s in plan.steps)
        self.starts, acc = [], 0.0
        for s in plan.steps:
            self.starts.append((acc / total, max(s.seconds, 1.0) / total))
            acc += max(s.seconds, 1.0)
        self.progress = progress

    def step(self, index: int, label: str) -> Progress:
        start, width = self.starts[index]
        return part_of(self.progress, start, width, label)


def _save(store: Store, kind: str, run_id: str, key_parts: tuple, profile: str, ok: bool, payload: BaseModel,
          raw: str, error: str | None, seconds: float, version: str) -> None:
    store.save_result(ResultRecord(kind=KINDS[kind], cache_key=cache_key(KINDS[kind], run_id, *key_parts),
                                   model_profile=profile, prompt_version=version, ok=ok,
                                   payload=payload.model_dump(mode="json"), raw=raw, error=error, seconds=seconds,
                                   subject=run_id))


def _grade(run: CompareRun, profile: str, repeat: int, progress: Progress, store: Store) -> None:
    from core.services.grading import AnswerInput, GradeError, GradeOptions, grade_answers

    cfg = run.config
    inputs = [AnswerInput(candidate=i.candidate or "", question=i.question, answer=i.answer, reference=i.reference,
                          human_score=i.human_score) for i in run.items]
    options = GradeOptions(max_new_tokens=cfg.grade_max_new_tokens, temperature=cfg.temperature,
                           seed=cfg.seed + repeat, output_format="tags" if profile in cfg.tag_models else "json",
                           keep_records=False)  # a model comparison, not a hiring step
    try:
        outcomes = grade_answers(inputs, profile, progress, options=options)
        results = [(o.ok, o.error, o.grade, o.raw) for o in outcomes]
    except (GradeError, EngineUnavailable, ProfileError) as exc:
        results = [(False, str(exc), None, "")] * len(inputs)
    for item, (ok, error, grade, raw) in zip(run.items, results):
        seconds = grade.provenance.seconds if grade else 0.0
        rec = GradeRecord(model=profile, item_id=item.id, repeat=repeat, ok=ok and grade is not None, error=error,
                          grade=grade, raw=raw, seconds=seconds)
        run.grades.append(rec)
        _save(store, "grade", run.run_id, (profile, item.id, repeat), profile, rec.ok, rec, raw, error, seconds,
              grade.rubric if grade else "")


def _judge(run: CompareRun, progress: Progress, store: Store) -> None:
    cfg = run.config
    judge = get_profile(cfg.judge)
    jobs, skipped = [], []
    for g in run.grades:
        item = run.item(g.item_id)
        if g.ok and g.grade is not None:
            jobs.append(JudgeJob(g.model, g.item_id, g.repeat, item.question, item.answer, item.reference, g.grade))
        else:
            skipped.append(JudgeRecord(model=g.model, item_id=g.item_id, repeat=g.repeat, ok=False,
                                       error="not judged: the model's grade failed"))
    try:
        results = run_judge(judge, jobs, cfg.judge_max_new_tokens, lambda d, t: progress(d / t, msg("prog_judged", progress_lang(progress), done=d, total=t)))
        records = [JudgeRecord(model=j.model, item_id=j.item_id, repeat=j.repeat, ok=v is not None,
                               error=None if v is not None else f"the judge's answer could not be used ({o.error})",
                               verdict=v, raw=o.raw, seconds=o.seconds) for j, (v, o) in zip(jobs, results)]
    except (EngineUnavailable, ProfileError) as exc:
        records = [JudgeRecord(model=j.model, item_id=j.item_id, repeat=j.repeat, ok=False,
                               error=f"the judge could not run: {exc}") for j in jobs]
    from core.prompts import load_prompt

    version = load_prompt("judge").version
    for rec in [*records, *skipped]:
        run.judgments.append(rec)
        _save(store, "judge", run.run_id, (rec.model, rec.item_id, rec.repeat), cfg.judge, rec.ok, rec, rec.raw,
              rec.error, rec.seconds, version)


def _pairwise(run: CompareRun, progress: Progress, store: Store) -> None:
    cfg = run.config
    judge = get_profile(cfg.judge)
    jobs, verdicts = [], []
    for a, b in combinations(cfg.models, 2):
        for item in run.items:
            for r in range(cfg.repeats):
                ga, gb = run.grade(a, item.id, r), run.grade(b, item.id, r)
                if ga and gb and ga.grade and gb.grade:
                    jobs.append(PairJob(a, b, item.id, r, item.question, item.answer, item.reference, ga.grade, gb.grade))
                else:
                    verdicts.append(PairwiseVerdict(model_a=a, model_b=b, item_id=item.id, repeat=r,
                                                    error="not judged: a model's grade failed"))
    try:
        outcomes = run_pairwise(judge, jobs, cfg.judge_max_new_tokens,
                                lambda d, t: progress(d / t, msg("prog_pairs", progress_lang(progress), done=d, total=t)))
        for j, (first, second) in zip(jobs, outcomes):
            errors = [f"{name}: {o.error}" for name, o in (("A first", first), ("B first", second)) if o.error]
            verdicts.append(PairwiseVerdict(model_a=j.model_a, model_b=j.model_b, item_id=j.item_id, repeat=j.repeat,
                                            a_first=first.value, b_first=second.value,
                                            error="; ".join(errors) or None))
    except (EngineUnavailable, ProfileError) as exc:
        verdicts.extend(PairwiseVerdict(model_a=j.model_a, model_b=j.model_b, item_id=j.item_id, repeat=j.repeat,
                                        error=f"the judge could not run: {exc}") for j in jobs)
    from core.prompts import load_prompt

    version = load_prompt("judge_pairwise").version
    for v in verdicts:
        run.pairs.append(v)
        _save(store, "pair", run.run_id, (v.model_a, v.model_b, v.item_id, v.repeat), cfg.judge, v.winner is not None,
              v, "", v.error, 0.0, version)


def new_run_id() -> str:
    return f"cmp-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


def run_comparison(cfg: CompareConfig, items: list[CompareItem], progress: Progress | None = None,
                   store: Store | None = None, on_plan: Callable[[ComparePlan], None] | None = None) -> CompareRun:
    """Plan and run a comparison; returns the finished run (also stored). Raises CompareError up front."""
    from core.engines import release_engines

    if not items:
        raise CompareError("no answers to compare on; give a file with question and answer columns, "
                           "or a candidate whose answers are stored.")
    if len(items) > MAX_ITEMS:
        raise CompareError(f"{len(items)} answers is more than {MAX_ITEMS}; take a sample or split the file.")
    plan = plan_comparison(cfg, len(items))
    if on_plan is not None:
        on_plan(plan)
    store = store or get_store()
    run = CompareRun(run_id=new_run_id(), config=cfg, items=items, plan=plan)
    started = time.perf_counter()
    store.save_run(run.run_id, RUN_KIND, cfg.name or ", ".join(cfg.models), "running", _run_config(run))
    clock = _Clock(plan, progress)
    try:
        for n, step in enumerate(plan.steps):
            on = clock.step(n, f"{step.stage} ({', '.join(step.profiles)})")
            if step.stage == "grade":
                parts = [(p, r) for p in step.profiles for r in range(cfg.repeats)]
                for k, (profile, r) in enumerate(parts):
                    def sub(f: float | None, m: str, k: int = k, profile: str = profile, r: int = r) -> None:
                        # a fraction of None (a model loading) stays None
                        # (on, parts: _grade calls sub before the loop moves on)
                        on(None if f is None else (k + f) / len(parts), f"{profile}, run {r + 1}/{cfg.repeats}: {m}")  # noqa: B023

                    _grade(run, profile, r, sub, store)
            elif step.stage == "judge":
                _judge(run, on, store)
            else:
                _pairwise(run, on, store)
            if step.release_after:
                release_engines()
        _sort(run)
        run.stats = compute_stats(cfg, items, run.grades, run.judgments, run.pairs)
        judged = sum(j.ok for j in run.judgments)
        run.status = "done" if judged else "failed"
        if not judged:
            reasons = {j.error for j in run.judgments if j.error}
            run.error = "no analysis could be judged: " + ("; ".join(sorted(reasons))[:600] or "nothing was graded")
    except Exception as exc:  # keep what was done and say what broke
        run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"
        store.set_run_status(run.run_id, "failed", {"error": run.error})
        raise
    finally:
        run.finished_at = datetime.now(timezone.utc)
        run.seconds = round(time.perf_counter() - started, 1)
    store.save_run(run.run_id, RUN_KIND, cfg.name or ", ".join(cfg.models), run.status, _run_config(run),
                   _run_summary(run))
    report(progress, 1.0, msg("prog_done", progress_lang(progress)))
    return run


def _run_config(run: CompareRun) -> dict:
    return {"config": run.config.model_dump(mode="json"), "items": [i.model_dump(mode="json") for i in run.items],
            "plan": run.plan.model_dump(mode="json") if run.plan else None,
            "started_at": run.started_at.isoformat()}


def _run_summary(run: CompareRun) -> dict:
    return {"stats": run.stats.model_dump(mode="json") if run.stats else None, "error": run.error,
            "seconds": run.seconds, "finished_at": run.finished_at.isoformat() if run.finished_at else None}


# past runs ------------------------------------------------------------------------------------
def list_runs(store: Store | None = None, limit: int = 100) -> list[CompareRunEntry]:
    """Past comparison runs, newest first."""
    return [CompareRunEntry.from_row(row) for row in (store or get_store()).list_runs(RUN_KIND, limit=limit)]


def load_run(run_id: str, store: Store | None = None) -> CompareRun:
    """A stored run rebuilt from the store (its config, every repeat's results and its statistics)."""
    store = store or get_store()
    row = store.get_run(run_id)
    if row is None or row.kind != RUN_KIND:
        raise CompareError(f"no comparison run {run_id!r} in the store; pick one from the list of past runs.")
    conf, summary = row.config or {}, row.summary or {}
    results = {k: store.list_results(v, subject=run_id, limit=1_000_000) for k, v in KINDS.items()}
    run = CompareRun(
        run_id=run_id, config=CompareConfig.model_validate(conf["config"]),
        items=[CompareItem.model_validate(i) for i in conf.get("items", [])],
        plan=ComparePlan.model_validate(conf["plan"]) if conf.get("plan") else None,
        grades=[GradeRecord.model_validate(r.payload) for r in results["grade"]],
        judgments=[JudgeRecord.model_validate(r.payload) for r in results["judge"]],
        pairs=[PairwiseVerdict.model_validate(r.payload) for r in results["pair"]],
        stats=CompareStats.model_validate(summary["stats"]) if summary.get("stats") else None,
        status=row.status, error=summary.get("error"), seconds=summary.get("seconds") or 0.0,
    )
    _sort(run)
    if conf.get("started_at"):
        run.started_at = datetime.fromisoformat(conf["started_at"])
    if summary.get("finished_at"):
        run.finished_at = datetime.fromisoformat(summary["finished_at"])
    return run


def _sort(run: CompareRun) -> None:
    """Results in the order of the config's models, then answers, then repeats."""
    models = {m: n for n, m in enumerate(run.config.models)}
    items = {i.id: n for n, i in enumerate(run.items)}
    run.grades.sort(key=lambda g: (models.get(g.model, 99), items.get(g.item_id, 0), g.repeat))
    run.judgments.sort(key=lambda j: (models.get(j.model, 99), items.get(j.item_id, 0), j.repeat))
    run.pairs.sort(key=lambda p: (models.get(p.model_a, 99), models.get(p.model_b, 99), items.get(p.item_id, 0), p.repeat))
