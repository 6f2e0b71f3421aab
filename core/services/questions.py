"""interview_questions(resume, job): five checked interview questions for one candidate, stored.

The resume is a Document (core.documents), as for screening: the questions are made from exactly the text the
model may see (hidden text removed), and the set names the document's flags so the card can warn about them.

With an LLM profile the model writes them (given the skills the rules found, with exact quotes, as
hints); with the ``rules`` profile they come from the team's question bank. Either way every quote is
checked against the resume or the job description.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from core.bounds import check_text, check_texts
from core.documents import Document, parse_bytes, parse_path
from core.documents.language import detect_language
from core.failures import unusable
from core.engines import (ChatRequest, EngineUnavailable, Sampling, generate_structured, resolve_engine_kind)
from core.messages import LocalizedError, msg
from core.models import ModelProfile, ProfileError, get_profile
from core.prompts import PromptTemplate, as_data, load_prompt
from core.schemas.common import Provenance
from core.schemas.questions import InterviewQuestions, QuestionDraft, QuestionSet
from core.services.common import Progress, cache_key, progress_lang, report, text_hash
from core.services.engine_loading import load_engine
from core.services.question_bank import QuestionBank, load_bank
from core.services.question_picker import find_evidence, pick_questions
from core.services.record_keeping import questioned
from core.store import ResultRecord, get_store

KIND = "questions"
MIN_RESUME_CHARS = 40
MAX_RESUME_CHARS = 12_000  # what the model sees; the rules path reads everything
MAX_JOB_CHARS = 4_000
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


class QuestionsError(LocalizedError):
    """Questions cannot be prepared (no resume text, unknown profile); the message says what to do."""


@dataclass(frozen=True)
class QuestionsOptions:
    max_new_tokens: int = 1200
    reuse: bool = True
    language: str | None = None  # "en" or "ru"; None: the job's language, else the resume's
    owner: str = ""  # whose candidate the questions are linked to: a demo visitor's, or the team's (core.services.owners)


@dataclass
class QuestionsOutcome:
    ok: bool
    error: str | None = None
    questions: QuestionSet | None = None
    raw: str = ""
    cached: bool = False


def _language(resume: str, job: str, wanted: str | None) -> str:
    if wanted in LANGUAGE_NAMES:
        return wanted
    detected = detect_language(job) if job.strip() else detect_language(resume)
    return "ru" if detected == "ru" else "en"


def pasted_resume(text: str, name: str) -> Document:
    """A pasted resume as a Document, read like an uploaded .txt file (invisible characters removed, instruction-like
    text flagged). Raises QuestionsError when there is too little text, DocumentError when it cannot be read."""
    if len(check_text("resume", text).strip()) < MIN_RESUME_CHARS:  # core.bounds: a paste too long is refused
        raise QuestionsError(key="err_resume_short")
    return parse_bytes(text.encode("utf-8"), f"{name}.txt")


def resume_input(path: str | None, pasted: str, pasted_name: str) -> tuple[Document, str]:
    """The resume a question set is made for, and the name the set shows: an uploaded file (read like every
    upload; named by its file), else the pasted text (named ``pasted_name``). Raises DocumentError for a file
    that cannot be read, QuestionsError or InputTooLong for a paste too short or too long."""
    if path:
        doc = parse_path(path)
        return doc, doc.filename
    return pasted_resume(pasted, pasted_name), pasted_name


class _Drafted(NamedTuple):
    """Questions as written, before checking: by the bank's picker or the model (its raw text and error kept)."""

    drafts: list[QuestionDraft]
    raw: str
    engine: str
    error: str | None


def _by_model(prof: ModelProfile, prompt: PromptTemplate, resume: str, job: str, lang: str, bank: QuestionBank,
              options: QuestionsOptions, progress: Progress | None) -> _Drafted | QuestionsOutcome:
    """The profile's model writes the questions, given the bank's skills found in the texts as hints; a failed
    outcome when the engine cannot run here."""
    engine = load_engine(prof, progress)
    if isinstance(engine, EngineUnavailable):
        return QuestionsOutcome(False, error=f"{engine}. Pick another model profile (for example 'rules').")
    hints = find_evidence(resume, job, bank).as_prompt_text()
    messages = prompt.render(
        resume=as_data("resume", resume[:MAX_RESUME_CHARS]),
        job=as_data("job", job[:MAX_JOB_CHARS]) if job else "(no job description given)",
        hints=hints, language=LANGUAGE_NAMES[lang],
    )
    request = ChatRequest(messages, schema=InterviewQuestions, sampling=Sampling(max_new_tokens=options.max_new_tokens),
                          adapter=prof.adapter_name)
    report(progress, 0.1, msg("prog_writing_questions", progress_lang(progress)))
    out = generate_structured(engine, [request])[0]
    return _Drafted(out.value.drafts() if out.value is not None else [], out.raw, engine.name, out.error)


def _checked(drafted: _Drafted, seconds: float, key: str, version: str, prof: ModelProfile, resume: str, job: str,
             candidate: str, lang: str, flags: Sequence[str]) -> QuestionsOutcome:
    """The drafts as a question set with every quote checked against the resume or job, or the failure."""
    result = QuestionsOutcome(False, raw=drafted.raw)
    if drafted.error is None:
        prov = Provenance(model_profile=prof.name, engine=drafted.engine, prompt_version=version, input_hash=key,
                          seconds=round(seconds, 3), adapter=prof.adapter_name)
        result.questions = QuestionSet.from_drafts(drafted.drafts, resume, job, candidate, prov, lang).model_copy(
            update={"document_flags": flags})
        result.ok = True
    else:
        result.error = unusable("fail_questions_unusable", drafted.error)
    return result


def _profile(name: str | None) -> ModelProfile:
    """The named profile (the default when None); an unknown one is a QuestionsError."""
    try:
        return get_profile(name)
    except ProfileError as exc:
        raise QuestionsError(str(exc)) from exc


def interview_questions(
    resume_doc: Document,
    job_text: str = "",
    profile: str | None = None,
    candidate: str = "",
    progress: Progress | None = None,
    options: QuestionsOptions | None = None,
) -> QuestionsOutcome:
    """Questions for one resume (and optionally a job). Raises QuestionsError when it cannot start.
    ``candidate`` is the name shown on the set (default: the document's file name)."""
    options = options or QuestionsOptions()
    check_texts(job=job_text, name=candidate)  # core.bounds
    resume, job = (resume_doc.text or "").strip(), (job_text or "").strip()
    candidate = candidate or resume_doc.filename
    flags = sorted({f.kind for f in resume_doc.flags})
    if len(resume) < MIN_RESUME_CHARS:
        raise QuestionsError(key="err_resume_short")
    prof = _profile(profile)
    kind = resolve_engine_kind(prof)
    prompt = load_prompt("questions")
    lang = _language(resume, job, options.language)
    version = "question-bank" if kind == "rules" else prompt.version
    key = cache_key(KIND, prof.name, prof.adapter, version, text_hash(resume), text_hash(job), lang)
    store = get_store()
    stored = store.get_result(key) if options.reuse else None
    if stored is not None and stored.ok and stored.payload:
        kept = QuestionSet.model_validate(stored.payload).model_copy(update={"candidate": candidate, "document_flags": flags})
        questioned(store, resume, result_id=stored.id, profile=prof.name, prompt_version=version, ok=True, cached=True,
                   count=len(kept.questions), owner=options.owner)
        return QuestionsOutcome(True, questions=kept, raw=stored.raw, cached=True)
    bank = load_bank()
    started = time.perf_counter()
    if kind == "rules":
        drafted = _Drafted(pick_questions(resume, job, bank, lang), "", "question-bank", None)
    else:
        by_model = _by_model(prof, prompt, resume, job, lang, bank, options, progress)
        if isinstance(by_model, QuestionsOutcome):
            return by_model
        drafted = by_model
    seconds = time.perf_counter() - started
    result = _checked(drafted, seconds, key, version, prof, resume, job, candidate, lang, flags)
    result_id = store.save_result(ResultRecord(
        kind=KIND, cache_key=key, model_profile=prof.name, prompt_version=version, ok=result.ok,
        payload=result.questions.model_dump(mode="json") if result.questions else None, raw=drafted.raw,
        error=drafted.error, seconds=seconds, subject=candidate[:300]))
    questioned(store, resume, result_id=result_id, profile=prof.name, prompt_version=version, ok=result.ok,
               cached=False, count=len(result.questions.questions) if result.questions else 0,
               owner=options.owner)
    report(progress, 1.0, msg("prog_done", progress_lang(progress)))
    return result
