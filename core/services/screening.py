"""screen(job, files): resumes in, a ranked list of fit reports (or clear errors) out, stored.

A request for the same inputs as a screening going on now (same job, same files, profile and options) follows
that run instead of starting another (core.services.flights); a candidate deleted while their resume is being
screened is removed from the run cleanly, and the run counts it as removed (core.services.runs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError

from core.bounds import check_text
from core.documents import Document, DocumentError, parse_bytes
from core.messages import LocalizedError, msg
from core.engines import ChatRequest, Engine, EngineUnavailable, Outcome, Sampling, generate_structured, resolve_engine_kind
from core.engines.rules import code_version
from core.failures import failure, unusable
from core.facts import Facts, extract_facts, redact, redact_facts
from core.schemas.text_map import TextMap
from core.services.fit_tasks import fit_task, job_brief, neutral_text
from core.engines.tasks import JobBrief
from core.models import ModelProfile, get_profile
from core.prompts import PromptTemplate, as_data, load_prompt
from core.schemas import FitAssessment, FitReport, Provenance
from core.services.common import ItemClock, Progress, cache_key, progress_lang, report, text_hash
from core.services.engine_loading import load_engine
from core.services.record_keeping import resume_candidate, screened
from core.services.flights import inputs_key, land, landed, reserve, take_off
from core.services.runs import DONE, BatchRun, is_removed, new_run_id
from core.store import ResultRecord, Store, get_store
from core.store.records import CandidateKey

KIND = "fit"
RUN_KIND = "screen"
MIN_JOB_CHARS = 30
REPORT_VERSION = 2  # in the cache key: 2 lists every skill of the job; stored reports of version 1 are made again


class ScreenError(LocalizedError):
    """The whole batch cannot start (no job description, unknown profile...); message says what to do."""


@dataclass(frozen=True)
class ScreenInput:
    filename: str
    data: bytes
    source: str = ""  # the path as the user gave it; defaults to the file name

    @classmethod
    def from_path(cls, path: str | Path) -> "ScreenInput":
        p = Path(path)
        return cls(p.name, p.read_bytes() if p.is_file() else b"", str(path))

    @classmethod
    def pasted(cls, text: str, filename: str = "pasted_resume.txt") -> "ScreenInput":
        """A pasted resume as a text file; raises core.bounds.InputTooLong over the resume bound."""
        return cls(filename, check_text("resume", text).encode("utf-8"))


@dataclass(frozen=True)
class ScreenOptions:
    profile: str | None = None
    blind: bool = False
    reuse: bool = True
    max_new_tokens: int = 1100  # above the worst case of FitAssessment's bounds: a report always finishes
    run_id: str | None = None  # the batch run to record into (core.services.runs); a fresh one when None
    keep_records: bool = True  # find or create each resume's candidate and link the report (False: a probe's copies)
    run_kind: str = RUN_KIND  # another kind keeps a probe's batch out of the recent screenings
    owner: str = ""  # whose candidates and run these are: a demo visitor's, or the team's (core.services.owners)
    candidate: str = ""  # the stored candidate these resumes belong to (a reference): no identity lookup


@dataclass
class ScreenRow:
    filename: str
    path: str
    ok: bool
    error: str | None = None
    report: FitReport | None = None
    document: Document | None = None
    facts: dict | None = None
    redactions: list[dict] = field(default_factory=list)
    raw: str = ""
    cached: bool = False
    error_code: str | None = None  # why a file could not be read (DocumentError.code), for words in any language

    @property
    def score(self) -> int | None:
        return self.report.match_score if self.report else None

    @property
    def person(self) -> str:
        """The person's name as the resume gives it, from its strongest evidence ("" when it gives none)."""
        if self.document is None:
            return ""
        from core.facts.names import resume_name

        found = resume_name(self.document.text, self.facts)
        return found.text if found else ""

    @property
    def review_flags(self) -> list[str]:
        """Kinds of hidden or instruction-like text in the file. They never move the verdict's band (that
        follows the score); they mean a person should look at the file before acting on it."""
        return list(dict.fromkeys(f.kind for f in self.document.flags)) if self.document else []


class PreparedResume(NamedTuple):
    """A resume ready for the engine: ``text`` is what the model sees (placeholders when blind), ``neutral`` the
    resume with personal data as placeholders in both modes, mapped back onto ``text``."""

    text: str
    facts_text: str  # the facts as the prompt shows them
    data: dict  # the facts as stored (found in the full text)
    redactions: list[dict]  # what a blind run took out
    facts: Facts  # the facts the task carries (placeholders in their quotes when blind)
    neutral: TextMap


def prepare_resume(doc: Document, job_skills: Sequence[str], blind: bool) -> PreparedResume:
    """Every fact is found in the full text, before redaction; a blind run carries the same facts with
    placeholders in their quotes, so blind and normal runs know the same things about a resume. The resume
    is redacted once here, for a blind prompt and for the engine's neutral text alike."""
    facts = extract_facts(doc)
    data = facts.model_dump(mode="json")
    text, redactions = doc.text, []
    red = redact(doc.text, doc.language)
    neutral = neutral_text(red)
    if blind:
        text = red.text
        redactions = [r.model_dump(mode="json") for r in red.items]
        facts = redact_facts(facts, doc.text, red)
        neutral = TextMap(text)  # a blind resume is its own neutral text
    have = set(facts.skills)
    coverage = [
        "Job skills found in the resume: " + (", ".join(s for s in job_skills if s in have) or "none"),
        "Job skills not found in the resume: " + (", ".join(s for s in job_skills if s not in have) or "none"),
    ]
    facts_text = "\n".join([facts.as_prompt_text(), *coverage]).strip()
    return PreparedResume(text, facts_text, data, redactions, facts, neutral)


@dataclass(frozen=True)
class _Pending:
    """A resume that goes to the engine: its row, request, cache key, the text the model sees, its stored document,
    its position in the run and the facts its task carries."""

    row: ScreenRow
    request: ChatRequest
    key: str
    text: str
    doc_id: int
    n: int
    facts: Facts


def _inputs_key(job_text: str, files: Sequence[ScreenInput], options: ScreenOptions, profile_name: str,
                adapter: object) -> str:
    """What makes two screening requests the same: the job, the files (content and name), profile, options."""
    documents = sorted((hashlib.sha256(f.data).hexdigest(), f.filename) for f in files)
    return inputs_key(options.run_kind, text_hash(job_text.strip()), documents, profile_name, adapter, options.blind,
                      options.reuse, options.max_new_tokens, options.keep_records, options.owner, options.candidate)


def reserve_screen_run(job_text: str, files: Sequence[ScreenInput], options: ScreenOptions | None = None) -> str:
    """The run id a screening of these inputs will record into: the run going on for the same inputs when there
    is one (a second press of Screen joins it), else a fresh id (found again after a page reload)."""
    options = options or ScreenOptions()
    try:
        profile = get_profile(options.profile)
    except LocalizedError:
        return new_run_id(options.run_kind)  # the screening itself will say what is wrong
    return reserve(_inputs_key(job_text or "", files, options, profile.name, profile.adapter), options.run_kind)


def _ended_as_asked(store: Store, run_id: str | None, key: str) -> tuple[list[ScreenRow] | None, str | None]:
    """A request naming a run that has just ended with these very inputs gets that run's rows (a press of
    Screen queued behind its twin); a run id that belongs to other inputs is never written over."""
    row = store.get_run(run_id) if run_id else None
    if row is None:
        return None, run_id
    if (row.config or {}).get("inputs") != key:
        return None, None
    twin = landed(run_id, key) if row.status == DONE else None
    return (twin.outcome if twin is not None else None), run_id


def screen(job_text: str, files: Sequence[ScreenInput], options: ScreenOptions | None = None,
           progress: Progress | None = None) -> list[ScreenRow]:
    """Screen every file against the job. One bad file never stops the batch; rows come back ranked.

    While a screening of the same inputs is going on in this process, this follows it (its progress drawn on
    ``progress``) and returns its rows instead of screening again."""
    options = options or ScreenOptions()
    job_text = check_text("job", job_text).strip()  # core.bounds: refused before any work
    if len(job_text) < MIN_JOB_CHARS:
        raise ScreenError(key="err_job_short")
    if not files:
        raise ScreenError(key="err_no_resumes")
    profile = get_profile(options.profile)
    store = get_store()
    if options.candidate:
        _known_candidate(store, options.candidate, options.owner)
    key = _inputs_key(job_text, files, options, profile.name, profile.adapter)
    ended, run_id = _ended_as_asked(store, options.run_id, key)
    if ended is not None:
        return ended
    flight, leading = take_off(key, run_id, options.run_kind)
    if not leading:
        return flight.follow(progress)
    try:
        rows = _screen(job_text, files, options, profile, flight.run_id, key, flight.relay(progress), store)
    except BaseException as exc:
        land(flight, error=exc)
        raise
    land(flight, rows)
    return rows


def _known_candidate(store: Store, ref: str, owner: str) -> None:
    """Refuse, before any work, a candidate reference that is unknown or not the requester's to change."""
    from core.services.candidate_access import owned_candidate

    with store.session() as s:
        owned_candidate(s, ref, owner)


def _removed_meanwhile(store: Store, document_id: int | None, run: BatchRun, position: int,
                       write: Callable[[], None]) -> bool:
    """Write one item's rows; when its candidate was deleted meanwhile (its document is gone, so a row pointing
    at it is refused) the item is left in the run as removed. True when it was removed."""
    try:
        write()
        return False
    except IntegrityError:
        if document_id is None or store.get_document(document_id) is not None:
            raise
        run.removed(position)
        return True


@dataclass
class _Batch:
    """One screening's shared state: its job, profile, prompt, run, rows so far and the resumes that wait for the
    engine."""

    job_text: str
    options: ScreenOptions
    profile: ModelProfile
    store: Store
    prompt: PromptTemplate
    job_id: int
    run: BatchRun
    brief: JobBrief
    rules_code: str | None
    rows: list[ScreenRow] = field(default_factory=list)
    placed: dict[int, int] = field(default_factory=dict)  # id of a row -> its item's position in the run
    pending: list[_Pending] = field(default_factory=list)
    candidates: dict[int, CandidateKey] = field(default_factory=dict)  # item position -> its hiring-records candidate

    @property
    def job_skills(self) -> list[str]:
        """Every skill the job asks for (never from its company blurb)."""
        return list(self.brief.skills)

    def keep(self, n: int, row: ScreenRow, result_id: int | None, doc_id: int | None) -> None:
        """The item's report in the hiring records (linked to its candidate) and one audit row."""
        screened(self.store, self.candidates.get(n), result_id=result_id, document_id=doc_id, job_id=self.job_id,
                 run_id=self.run.run_id, profile=self.profile.name, prompt_version=self.prompt.version,
                 text=row.document.text if row.document else "", ok=row.ok, cached=row.cached, score=row.score)

    def read(self, n: int, item: ScreenInput) -> None:
        """Read one file: a row for it, its document stored, its candidate found, and its report taken from the
        store or queued for the engine."""
        try:
            doc = parse_bytes(item.data, item.filename)
        except DocumentError as exc:
            self.rows.append(ScreenRow(item.filename, item.source or item.filename, False, exc.message,
                                       error_code=exc.code))
            self.run.item(n, item.filename, False, error=exc.message,
                          data={"path": item.source or item.filename, "error_code": exc.code})
            return
        prepared = prepare_resume(doc, self.job_skills, self.options.blind)
        doc_id = self.store.upsert_document(
            doc.sha256, doc.filename, doc.media_type, doc.language, doc.pages, doc.text,
            {"warnings": doc.warnings, "flags": [f.model_dump() for f in doc.flags], "facts": prepared.data})
        row = ScreenRow(doc.filename, item.source or item.filename, False, document=doc, facts=prepared.data,
                        redactions=prepared.redactions)
        self.rows.append(row)
        self.placed[id(row)] = n
        if self.options.keep_records and self._find_candidate(n, doc_id, doc, prepared.data):
            return
        key = cache_key(KIND, self.profile.name, self.profile.adapter, self.prompt.version, doc.sha256,
                        text_hash(self.job_text), self.options.blind, REPORT_VERSION,
                        *([self.rules_code] if self.rules_code else []))
        if not self._from_store(n, row, key, doc_id):
            self._queue(n, row, key, doc_id, prepared)

    def _find_candidate(self, n: int, doc_id: int, doc: Document, facts: dict) -> bool:
        """Find or create the resume's candidate; True when the candidate was deleted meanwhile."""

        def find() -> None:
            self.candidates[n] = resume_candidate(self.store, doc_id, doc.filename, doc.text, facts, self.job_id,
                                                  self.options.owner, self.options.candidate)

        return _removed_meanwhile(self.store, doc_id, self.run, n, find)

    def _from_store(self, n: int, row: ScreenRow, key: str, doc_id: int) -> bool:
        """Reuse a stored report for these very inputs when asked to; True when one was used."""
        stored = self.store.get_result(key) if self.options.reuse else None
        if stored is None or not stored.ok or not stored.payload:
            return False
        row.ok, row.report, row.raw, row.cached = True, FitReport.model_validate(stored.payload), stored.raw, True

        def cached() -> None:
            self.run.item(n, row.filename, True, score=row.score, cached=True, result_id=stored.id,
                          document_id=doc_id, data=_item_data(row))
            if self.options.keep_records:
                self.keep(n, row, stored.id, doc_id)

        _removed_meanwhile(self.store, doc_id, self.run, n, cached)
        return True

    def _queue(self, n: int, row: ScreenRow, key: str, doc_id: int, prepared: PreparedResume) -> None:
        """The resume's request for the engine, waiting with everything its answer is stored with."""
        text, facts_text = prepared.text, prepared.facts_text
        messages = self.prompt.render(job=as_data("job", self.job_text), resume=as_data("resume", text),
                                      facts=facts_text)
        request = ChatRequest(messages, schema=FitAssessment,
                              sampling=Sampling(max_new_tokens=self.options.max_new_tokens),
                              adapter=self.profile.adapter_name,
                              task=fit_task(text, self.brief, facts_text, prepared.facts, self.options.blind,
                                            prepared.neutral))
        self.pending.append(_Pending(row, request, key, text, doc_id, n, prepared.facts))

    def refuse_all(self, engine: EngineUnavailable) -> None:
        """Every waiting resume fails with the reason the engine cannot run here."""
        for waiting in self.pending:
            waiting.row.error = failure("fail_engine_unavailable", audit=str(engine), profile=self.profile.name)

            def refused(waiting: _Pending = waiting) -> None:
                self.run.item(waiting.n, waiting.row.filename, False, document_id=waiting.doc_id,
                              error=waiting.row.error, data=_item_data(waiting.row))

            _removed_meanwhile(self.store, waiting.doc_id, self.run, waiting.n, refused)

    def assess(self, engine: Engine, progress: Progress | None) -> None:
        """Send every waiting resume to the engine; each report is kept the moment it is ready."""
        clock = ItemClock(len(self.pending), "assessed", "resumes", progress, start=0.1, width=0.9,
                          expected_each=self.store.typical_seconds(KIND, self.profile.name))
        clock.begin()

        def on_outcome(i: int, out: Outcome) -> None:
            self.answered(self.pending[i], out, engine.name)
            clock.tick()

        generate_structured(engine, [p.request for p in self.pending], on_outcome=on_outcome)

    def answered(self, waiting: _Pending, out: Outcome, engine_name: str) -> None:
        """Keep one engine answer at once: a reload or a killed process loses nothing done."""
        row, key, doc_id, n = waiting.row, waiting.key, waiting.doc_id, waiting.n
        row.raw = out.raw
        if out.value is not None:
            prov = Provenance(model_profile=self.profile.name, engine=engine_name, prompt_version=self.prompt.version,
                              input_hash=key, seconds=round(out.seconds, 3), adapter=self.profile.adapter_name)
            # every job skill listed, matched or missing, whatever the model's bound
            row.report = FitReport.from_assessment(out.value, waiting.text, row.filename, prov, self.job_skills,
                                                   waiting.facts.skill_quotes)
            row.ok = True
        else:
            row.error = unusable("fail_answer_unusable", out.error)

        def write() -> None:
            result_id = self.store.save_result(ResultRecord(
                kind=KIND, cache_key=key, model_profile=self.profile.name, prompt_version=self.prompt.version,
                ok=row.ok, payload=row.report.model_dump(mode="json") if row.report else None, raw=out.raw,
                error=out.error, seconds=out.seconds, subject=row.filename, document_id=doc_id, job_id=self.job_id))
            self.run.item(n, row.filename, row.ok, score=row.score, result_id=result_id, document_id=doc_id,
                          error=row.error, data=_item_data(row))
            if self.options.keep_records:
                self.keep(n, row, result_id, doc_id)

        _removed_meanwhile(self.store, doc_id, self.run, n, write)

    def finish(self) -> list[ScreenRow]:
        """End the run; the rows of items removed meanwhile (their candidate deleted) are not returned."""
        self.run.finish()
        gone = {item.position for item, _ in self.store.list_run_items(self.run.run_id) if is_removed(item)}
        return rank([r for r in self.rows if self.placed.get(id(r)) not in gone])


def _open_batch(job_text: str, files: Sequence[ScreenInput], options: ScreenOptions, profile: ModelProfile,
                run_id: str, key: str, store: Store) -> _Batch:
    """Store the job and open the batch run its items are recorded into."""
    prompt = load_prompt("fit")
    job_id = store.upsert_job(job_text)
    rules_code = code_version() if resolve_engine_kind(profile) == "rules" else None  # new rules code, new reports
    brief = job_brief(job_text)  # once for the whole batch; its skills never come from the company blurb
    job_row = store.get_job(job_id)
    run = BatchRun(options.run_kind, job_row.title if job_row else "", len(files), run_id=run_id, store=store,
                   owner=options.owner,
                   config={"profile": profile.name, "job_id": job_id, "blind": options.blind, "files": len(files),
                           "inputs": key})
    return _Batch(job_text, options, profile, store, prompt, job_id, run, brief, rules_code)


def _screen(job_text: str, files: Sequence[ScreenInput], options: ScreenOptions, profile: ModelProfile,
            run_id: str, key: str, progress: Progress | None, store: Store) -> list[ScreenRow]:
    """Read every file, reuse stored reports, send the rest to the engine, and rank what came back."""
    batch = _open_batch(job_text, files, options, profile, run_id, key, store)
    for n, item in enumerate(files):
        report(progress, 0.1 * n / len(files),
               msg("prog_reading", progress_lang(progress), n=n + 1, total=len(files), name=item.filename))
        batch.read(n, item)
    if batch.pending:
        engine = load_engine(profile, progress)
        if isinstance(engine, EngineUnavailable):
            batch.refuse_all(engine)
            return batch.finish()
        batch.assess(engine, progress)
    ranked = batch.finish()
    report(progress, 1.0, msg("prog_done", progress_lang(progress)))
    return ranked


def _item_data(row: ScreenRow) -> dict:
    """What reopening a stored run needs besides the stored report and document."""
    return {"path": row.path, "redactions": row.redactions, "engine": row.document.engine if row.document else ""}


def rank(rows: list[ScreenRow]) -> list[ScreenRow]:
    """Best score first; failures last, in their original order."""
    return sorted(rows, key=lambda r: (not r.ok, -(r.score or 0)))
