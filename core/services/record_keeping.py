"""What screening, grading and interview questions leave in the hiring records as they run.

Each finished item finds (or creates) its candidate, links the document and the stored result to them, and
appends one audit row (profile, prompt version, sha256 of the input text, candidate ref, run id). The
services call these three functions; the candidate rules live in core.store.records.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.services.audit import audit
from core.services.common import text_hash
from core.store import Store
from core.store.records import CandidateKey, candidate_for_document, candidate_for_text, candidate_named, link


def resume_candidate(store: Store, document_id: int, filename: str, text: str, facts: dict[str, Any] | None,
                     job_id: int | None, owner: str = "") -> CandidateKey:
    """The candidate of a stored resume among ``owner``'s: same email or phone, else same file, else new. Their
    name is the one the resume gives, else the file name without its extension."""
    from core.facts.redact import name_tokens

    contacts = (facts or {}).get("contacts") or {}
    name = " ".join(name_tokens(text)) or Path(filename).stem
    return candidate_for_document(store, document_id, name, list(contacts.get("emails") or []),
                                  list(contacts.get("phones") or []), job_id, owner)


def screened(store: Store, candidate: CandidateKey | None, *, result_id: int | None, document_id: int | None,
             job_id: int | None, run_id: str, profile: str, prompt_version: str, text: str, ok: bool, cached: bool,
             score: int | None) -> None:
    """One resume's fit report is stored: link it to the candidate and audit the screening."""
    if candidate is not None and ok and result_id is not None:
        link(store, candidate.id, "fit", document_id=document_id, result_id=result_id, job_id=job_id)
    audit("screen", candidate_ref=candidate.ref if candidate else "", job_id=job_id, run_id=run_id,
          model_profile=profile, prompt_version=prompt_version, input_hash=text_hash(text),
          detail={"ok": ok, "cached": cached, "score": score}, store=store)


def graded(store: Store, candidate_name: str, *, result_id: int | None, run_id: str, profile: str,
           prompt_version: str, question: str, answer: str, ok: bool, cached: bool, overall: float | None,
           owner: str = "") -> None:
    """One answer's grade is stored: link it to ``owner``'s candidate named on the answer and audit the grading."""
    candidate = candidate_named(store, candidate_name, owner)
    if candidate is not None and ok and result_id is not None:
        link(store, candidate.id, "grade", result_id=result_id)
    audit("grade", candidate_ref=candidate.ref if candidate else "", run_id=run_id, model_profile=profile,
          prompt_version=prompt_version, input_hash=text_hash(f"{question}\n{answer}"),
          detail={"ok": ok, "cached": cached, "overall": overall}, store=store)


def questioned(store: Store, resume_text: str, *, result_id: int | None, profile: str, prompt_version: str,
               ok: bool, cached: bool, count: int, owner: str = "") -> None:
    """Interview questions are stored: link them to ``owner``'s candidate whose stored resume they were made from."""
    found = candidate_for_text(store, resume_text, owner)
    if found is not None and ok and result_id is not None:
        candidate, document_id = found
        link(store, candidate.id, "questions", document_id=document_id, result_id=result_id)
    audit("questions", candidate_ref=found[0].ref if found else "", model_profile=profile,
          prompt_version=prompt_version, input_hash=text_hash(resume_text.strip()),
          detail={"ok": ok, "cached": cached, "questions": count}, store=store)
