"""grade_answers(items): candidates' answers in, per-criterion grades (or clear errors) out, stored.

Every answer is first checked for being an answer at all (answer_checks); the rest go to the chosen
profile's engine through generate_structured. A profile spec may join profiles with "+" (for example
``offline+rules``): each part grades the answer and the criterion scores are averaged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.engines import (ChatRequest, Engine, EngineUnavailable, Message, Outcome, Sampling, generate_structured,
                          resolve_engine_kind)
from core.bounds import BOUNDS, check_texts
from core.documents.language import is_russian
from core.failures import failure, unusable
from core.engines.tasks import GradeTask
from core.messages import LocalizedError, msg
from core.models import ModelProfile, ProfileError, get_profile
from core.prompts import as_data, load_prompt
from core.schemas.common import Provenance
from core.schemas.grade import CRITERIA, AnswerGrade, CriterionScore, GradeAssessment
from core.services.answer_checks import check_answer
from core.services.common import ItemClock, Progress, cache_key, part_of, progress_lang, report
from core.services.engine_loading import load_engine
from core.services.grade_blend import blend
from core.services.grade_tags import generate_tagged
from core.services.question_bank import load_bank
from core.services.record_keeping import graded
from core.services.runs import BatchRun
from core.store import ResultRecord, Store, get_store

KIND = "grade"
RUN_KIND = "grade"
NO_REFERENCE = "No reference answer is given: judge the answer by what a senior engineer knows."


class GradeError(LocalizedError):
    """The batch cannot start (nothing to grade, unknown profile...); the message says what to do."""


class AnswerInput(BaseModel):
    """One answer to grade. ``human_score`` (0–5) is kept for agreement statistics, never shown to the grader."""

    model_config = ConfigDict(str_strip_whitespace=True)

    candidate: str = Field(default="", max_length=BOUNDS.name)  # bounds: core.bounds
    candidate_ref: str = Field(default="", max_length=32)  # the stored candidate it is for, when the caller knows them
    question: str = Field(min_length=1, max_length=BOUNDS.question)
    answer: str = Field(default="", max_length=BOUNDS.answer)
    reference: str | None = Field(default=None, max_length=BOUNDS.reference)
    human_score: float | None = Field(default=None, ge=0, le=5)
    human_reasoning: str | None = Field(default=None, max_length=BOUNDS.notes)

    @classmethod
    def from_form(cls, question: str | None, answer: str | None, reference: str | None = None,
                  candidate: str | None = None) -> "AnswerInput":
        """One answer as a person typed it: raises core.bounds.InputTooLong (the field and its limit in the
        reader's language) before pydantic's own checks."""
        check_texts(question=question, answer=answer, reference=reference, name=candidate)
        return cls(question=question or "", answer=answer or "", reference=(reference or "").strip() or None,
                   candidate=candidate or "")


@dataclass(frozen=True)
class GradeOptions:
    max_new_tokens: int = 640
    temperature: float = 0.0
    seed: int = 3407
    reuse: bool = True  # take a stored grade for the same input instead of grading again
    bank_reference: bool = True  # use the question bank's reference when the question is a bank question
    output_format: Literal["json", "tags"] = "json"  # "tags": an adapter trained on <reasoning>…<score>N</score>
    record_run: bool = False  # keep the batch as a run (core.services.runs), item by item, to reopen it later
    run_id: str | None = None  # the run's id when recorded; a fresh one when None
    keep_records: bool = True  # link each grade to the candidate named on it and audit it (False: model evaluation)
    owner: str = ""  # whose candidates and run these are: a demo visitor's, or the team's (core.services.owners)


@dataclass
class GradeOutcome:
    item: AnswerInput
    ok: bool
    error: str | None = None
    grade: AnswerGrade | None = None
    raw: str = ""
    cached: bool = False


@dataclass
class _Job:
    item: AnswerInput
    reference: str | None
    reference_source: str | None
    lang: str
    key: str = ""
    request: ChatRequest | None = None
    outcome: GradeOutcome | None = field(default=None)
    position: int = 0  # the item's place in the batch


def grade_messages(question: str, answer: str, reference: str | None) -> tuple[Message, ...]:
    """The grader's chat messages for one answer (also the prompt of training examples)."""
    ref = as_data("reference", reference) if reference else NO_REFERENCE
    return load_prompt("grade").render(question=as_data("question", question), reference=ref, answer=as_data("answer", answer))


def _reference(item: AnswerInput, use_bank: bool) -> tuple[str | None, str | None]:
    if item.reference:
        return item.reference, "input"
    if use_bank:
        found = load_bank().match(item.question)
        if found:
            q, lang = found
            return q.reference.get(lang), f"bank:{q.id}"
    return None, None


def _split_profiles(spec: str | None) -> list[ModelProfile]:
    names = [p.strip() for p in (spec or "").split("+")] if spec else [""]
    if "" in names and len(names) > 1:
        raise GradeError(f"profile {spec!r} has an empty part; write profiles joined by '+', e.g. 'offline+rules'")
    try:
        return [get_profile(n or None) for n in names]
    except ProfileError as exc:
        raise GradeError(str(exc)) from exc


def grade_answers(
    items: Sequence[AnswerInput],
    profile: str | None = None,
    progress: Progress | None = None,
    adapter: str | None = None,
    options: GradeOptions | None = None,
) -> list[GradeOutcome]:
    """Grade every answer with ``profile`` (default profile when None); one outcome per item, in order.

    ``adapter`` is a LoRA adapter folder (or the name of one already loaded) served on top of the
    profile's model instead of the profile's own adapter. A failure is an outcome with ``error`` set and
    the raw model text kept; no score is ever invented.
    """
    if not items:
        raise GradeError(key="err_no_answers")
    options = options or GradeOptions()
    profiles = _split_profiles(profile)
    run = None
    if options.record_run:
        run = BatchRun(RUN_KIND, _run_name(items), len(items), run_id=options.run_id or "", owner=options.owner,
                       config={"profile": "+".join(p.name for p in profiles), "answers": len(items)})
    if len(profiles) == 1:
        outcomes = _grade_with(profiles[0], list(items), progress, adapter, options, run, keep=options.keep_records)
        if run is not None:
            run.finish()
        return outcomes
    parts: list[list[GradeOutcome]] = []
    for n, prof in enumerate(profiles):
        sub = part_of(progress, n / len(profiles), 1 / len(profiles), prof.name)
        parts.append(_grade_with(prof, list(items), sub, adapter if resolve_engine_kind(prof) != "rules" else None, options,
                                 keep=False))  # the blend is what goes into the records, not its parts
    names = [p.name for p in profiles]
    store = get_store()
    blended = []
    for i, item in enumerate(items):
        out = _blended(item, [p[i] for p in parts], names)
        key = cache_key(KIND, "+".join(names), *(g.provenance.input_hash if (g := p[i].grade) else "" for p in parts))
        _save(store, key, "+".join(names), out, out.grade.rubric if out.grade else "blend")
        _record(run, store, i, out, key, options.keep_records, options.owner)
        blended.append(out)
    if run is not None:
        run.finish()
    report(progress, 1.0, msg("prog_done", progress_lang(progress)))
    return blended


def _blended(item: AnswerInput, parts: Sequence[GradeOutcome], names: Sequence[str]) -> GradeOutcome:
    """The parts' grades of one answer as one outcome; if any part failed, the blend fails and says which."""
    raw = "\n---\n".join(o.raw for o in parts)
    failed = [f"{name}: {o.error}" for name, o in zip(names, parts) if not o.ok or o.grade is None]
    if failed:
        return GradeOutcome(item, False, error="; ".join(failed), raw=raw)
    grades = [o.grade for o in parts if o.grade is not None]
    return GradeOutcome(item, True, grade=blend(grades, names, item.human_score), raw=raw, cached=all(o.cached for o in parts))


@dataclass
class _Grading:
    """One profile's pass over a batch: what every answer is graded with and where each grade goes."""

    profile: ModelProfile
    options: GradeOptions
    adapter: str | None  # the adapter folder asked for (None: the profile's own)
    run: BatchRun | None
    keep: bool
    store: Store
    tags: bool  # the engine answers in <reasoning>…<score> tags instead of JSON
    rubric: str
    sampling: Sampling

    @classmethod
    def open(cls, profile: ModelProfile, options: GradeOptions, adapter: str | None, run: BatchRun | None,
             keep: bool) -> "_Grading":
        """The grading set-up of ``profile``: its rubric version, output format and sampling."""
        prompt = load_prompt("grade")
        kind = resolve_engine_kind(profile)
        tags = options.output_format == "tags" and kind != "rules"  # the rules baseline has no text format
        rubric = rules_version(profile.grader_path()) if kind == "rules" else prompt.version + ("+tags" if tags else "")
        sampling = Sampling(max_new_tokens=options.max_new_tokens, temperature=options.temperature, seed=options.seed)
        return cls(profile, options, adapter, run, keep, get_store(), tags, rubric, sampling)

    @property
    def adapter_ref(self) -> str | None:
        """The adapter that grades: the one asked for, else the profile's own."""
        return self.adapter or self.profile.adapter

    @property
    def adapter_name(self) -> str | None:
        """The name the engine serves the adapter under."""
        return _adapter_name(self.adapter_ref)

    def record(self, job: _Job) -> None:
        """The job's finished outcome into the records and the batch run."""
        assert job.outcome is not None
        _record(self.run, self.store, job.position, job.outcome, job.key, self.keep, self.options.owner)

    def finish(self, job: _Job, value: GradeAssessment, raw: str, seconds: float, engine: str) -> None:
        """A grade for the job from ``value``, stored."""
        _finish(job, value, raw, seconds, engine, self.profile, self.adapter_name, self.rubric, self.store)

    def plan(self, position: int, item: AnswerInput) -> _Job:
        """The job of one answer: graded at once from the store or by the non-answer checks, else given its
        request for the engine."""
        reference, source = _reference(item, self.options.bank_reference)
        job = _Job(item, reference, source, "ru" if is_russian(f"{item.question} {item.answer}") else "en",
                   position=position)
        sampling = self.sampling
        job.key = cache_key(KIND, self.profile.name, self.adapter_ref, self.rubric, item.candidate, item.question,
                            item.answer, reference, sampling.temperature,
                            sampling.seed if sampling.temperature > 0 else None)
        stored = self.store.get_result(job.key) if self.options.reuse else None
        if stored is not None and stored.ok and stored.payload:
            grade = AnswerGrade.model_validate(stored.payload).model_copy(update={"human_score": item.human_score})
            job.outcome = GradeOutcome(item, True, grade=grade, raw=stored.raw, cached=True)
            self.record(job)
            return job
        non_answer = check_answer(item.question, item.answer)
        if non_answer is not None:
            reason = non_answer.message(job.lang)
            value = GradeAssessment(
                reasoning=reason, verdict="unacceptable",
                **{c: CriterionScore(score=1, explanation=reason) for c in CRITERIA},
            )
            self.finish(job, value, "", 0.0, "checks")
            self.record(job)
            return job
        job.request = ChatRequest(
            grade_messages(item.question, item.answer, reference), schema=None if self.tags else GradeAssessment,
            sampling=sampling, adapter=self.adapter_name, constrained=not self.tags,
            task=GradeTask(item.question, item.answer, reference),
        )
        return job

    def load(self, progress: Progress | None) -> Engine | EngineUnavailable:
        """The profile's engine, with the asked-for adapter loaded on it."""
        adapter, adapter_name = self.adapter, self.adapter_name

        def with_adapter(loaded: Engine) -> None:
            if adapter and adapter_name:
                _load_adapter(loaded, adapter_name, adapter)

        return load_engine(self.profile, progress, then=with_adapter)

    def refuse(self, pending: list[_Job], engine: EngineUnavailable) -> None:
        """Every waiting answer fails with the reason the engine cannot run here."""
        for j in pending:
            j.outcome = GradeOutcome(j.item, False, error=failure("fail_engine_unavailable", audit=str(engine),
                                                                  profile=self.profile.name))
            self.record(j)

    def send(self, engine: Engine, pending: list[_Job], progress: Progress | None) -> None:
        """Grade the waiting answers with the engine; each grade is kept the moment it is ready."""
        clock = ItemClock(len(pending), "graded", "answers", progress, start=0.05, width=0.95,
                          expected_each=self.store.typical_seconds(KIND, self.profile.name))
        clock.begin()

        def on_outcome(i: int, out: Outcome) -> None:
            self.answered(pending[i], out, engine.name)
            clock.tick()

        requests = [j.request for j in pending if j.request]
        if self.tags:
            generate_tagged(engine, requests, [j.lang for j in pending], on_outcome=on_outcome)
        else:
            generate_structured(engine, requests, on_outcome=on_outcome)

    def answered(self, job: _Job, out: Outcome, engine_name: str) -> None:
        """Keep one grade at once: a reload or a killed process loses nothing done."""
        if out.value is not None:
            self.finish(job, out.value, out.raw, out.seconds, engine_name)
        else:
            error = unusable("fail_grader_unusable", out.error)
            job.outcome = GradeOutcome(job.item, False, error=error, raw=out.raw)
            _save(self.store, job.key, self.profile.name, job.outcome, self.rubric, out.seconds)
        self.record(job)


def _grade_with(
    profile: ModelProfile, items: list[AnswerInput], progress: Progress | None, adapter: str | None, options: GradeOptions,
    run: BatchRun | None = None, keep: bool = True,
) -> list[GradeOutcome]:
    """Grade every answer with one profile: stored grades and non-answers at once, the rest by its engine."""
    grading = _Grading.open(profile, options, adapter, run, keep)
    jobs = [grading.plan(position, item) for position, item in enumerate(items)]
    pending = [j for j in jobs if j.outcome is None]
    if pending:
        engine = grading.load(progress)
        if isinstance(engine, EngineUnavailable):
            grading.refuse(pending, engine)
            return [j.outcome for j in jobs if j.outcome]
        grading.send(engine, pending, progress)
    report(progress, 1.0, msg("prog_done", progress_lang(progress)))
    return [j.outcome for j in jobs if j.outcome]


def _finish(job: _Job, value: GradeAssessment, raw: str, seconds: float, engine: str, profile: ModelProfile,
            adapter: str | None, rubric: str, store: Store) -> None:
    prov = Provenance(model_profile=profile.name, engine=engine, prompt_version=rubric, input_hash=job.key,
                      seconds=round(seconds, 3), adapter=adapter)
    grade = AnswerGrade(
        **value.model_dump(exclude={"overall"}), question=job.item.question, answer=job.item.answer,
        reference_used=job.reference, reference_source=job.reference_source, rubric=rubric,
        candidate=job.item.candidate or None, human_score=job.item.human_score, provenance=prov,
    )
    job.outcome = GradeOutcome(job.item, True, grade=grade, raw=raw)
    _save(store, job.key, profile.name, job.outcome, rubric, seconds)


def _record(run: BatchRun | None, store: Store, position: int, outcome: GradeOutcome, key: str, keep: bool = True,
            owner: str = "") -> None:
    """A finished item: into the hiring records (linked to the candidate named on it, audited) when ``keep``, and
    into the batch run being recorded (nothing when the batch is not recorded)."""
    stored = store.get_result(key)
    if keep:
        item = outcome.item
        graded(store, item.candidate_ref or item.candidate, result_id=stored.id if stored else None,
               run_id=run.run_id if run else "",
               profile=stored.model_profile if stored else "", prompt_version=stored.prompt_version if stored else "",
               question=item.question, answer=item.answer, ok=outcome.ok, cached=outcome.cached,
               overall=outcome.grade.overall if outcome.grade else None, owner=owner)
    if run is None:
        return
    grade = outcome.grade
    run.item(position, outcome.item.candidate or outcome.item.question[:120], outcome.ok,
             score=grade.overall if grade else None, cached=outcome.cached, result_id=stored.id if stored else None,
             error=outcome.error, data={"item": outcome.item.model_dump(mode="json")})


def _run_name(items: Sequence[AnswerInput]) -> str:
    candidates = list(dict.fromkeys(i.candidate for i in items if i.candidate))
    names = ", ".join(candidates[:3]) + (f" +{len(candidates) - 3}" if len(candidates) > 3 else "")
    return names or items[0].question[:120]


def _save(store: Store, key: str, profile_name: str, outcome: GradeOutcome, rubric: str, seconds: float | None = None) -> None:
    """Keep the outcome, success or failure, under its cache key; the subject is the candidate."""
    grade = outcome.grade
    store.save_result(ResultRecord(
        kind=KIND, cache_key=key, model_profile=profile_name, prompt_version=rubric, ok=outcome.ok,
        payload=grade.model_dump(mode="json") if grade else None, raw=outcome.raw, error=outcome.error,
        seconds=seconds if seconds is not None else (grade.provenance.seconds if grade else 0.0),
        subject=outcome.item.candidate[:300]))


def rules_version(grader: Path | None = None) -> str:
    """``rules@<hash of the rules grader's code and weights>``: a stored rules grade is reused only while that code
    and the learned grader's coefficients (the shipped ones, or a profile's own ``grader``) are unchanged."""
    import hashlib

    from core.engines.rules.grade_model import WEIGHTS

    digest = hashlib.sha256(_rules_code_version().encode())
    weights = grader or WEIGHTS
    if weights.is_file():  # the learned grader's coefficients are part of the grade too
        digest.update(weights.read_bytes())
    return f"rules@{digest.hexdigest()[:10]}"


@lru_cache(maxsize=1)
def _rules_code_version() -> str:
    from core.engines.rules import GRADE_FILES, code_version

    return code_version(GRADE_FILES)


def _adapter_name(adapter: str | None) -> str | None:
    return Path(adapter).name if adapter else None


def _load_adapter(engine: Engine, name: str, path: str) -> None:
    loader = getattr(engine, "load_adapter", None)
    if loader is None:
        raise EngineUnavailable(f"the {engine.name} engine cannot serve LoRA adapters")
    if Path(path).exists():
        loader(name, path)
    elif name not in getattr(engine, "adapters", {}):
        raise EngineUnavailable(f"adapter {path!r} is neither a folder nor an adapter loaded in the engine")
