"""What screening, grading and interview questions leave in the hiring records as they run.

Each finished item finds (or creates) its candidate, links the document and the stored result to them, and
appends one audit row (profile, prompt version, sha256 of the input text, candidate ref, run id). The
services call these three functions; who the candidate is, and why, is decided in core.services.identity.
"""

from __future__ import annotations

from typing import Any

from core.services.audit import audit
from core.services.common import text_hash
from core.store import Store
from core.services.identity import candidate_for_answer, candidate_for_resume, candidate_for_text
from core.store.records import CandidateKey, link


def resume_candidate(store: Store, document_id: int, filename: str, text: str, facts: dict[str, Any] | None,
                     job_id: int | None, owner: str = "", ref: str = "") -> CandidateKey:
    """The candidate of a stored resume among ``owner``'s (core.services.identity: same file, e-mail, real phone,
    else the same name with nothing against it; else new). Their name is the person's the resume gives (its
    strongest evidence), else the file name without its extension. ``ref``: the candidate a person named for it."""
    found = candidate_for_resume(store, document_id, filename, text, facts, job_id, owner, ref)
    assert found.candidate is not None
    return found.candidate


def screened(store: Store, candidate: CandidateKey | None, *, result_id: int | None, document_id: int | None,
             job_id: int | None, run_id: str, profile: str, prompt_version: str, text: str, ok: bool, cached: bool,
             score: int | None) -> None:
    """One resume's fit report is stored: link it to the candidate and audit the screening."""
    if candidate is not None and ok and result_id is not None:
        link(store, candidate.id, "fit", document_id=document_id, result_id=result_id, job_id=job_id, reason="document")
    audit("screen", candidate_ref=candidate.ref if candidate else "", job_id=job_id, run_id=run_id,
          model_profile=profile, prompt_version=prompt_version, input_hash=text_hash(text),
          detail={"ok": ok, "cached": cached, "score": score}, store=store)


def graded(store: Store, candidate_name: str, *, result_id: int | None, run_id: str, profile: str,
           prompt_version: str, question: str, answer: str, ok: bool, cached: bool, overall: float | None,
           owner: str = "") -> None:
    """One answer's grade is stored: link it to ``owner``'s candidate the answer gives (a candidate reference as is;
    a name through core.services.identity, never as a new person when one candidate has that name in any
    spelling) and audit the grading."""
    found = candidate_for_answer(store, candidate_name, owner)
    candidate = found.candidate
    if candidate is not None and ok and result_id is not None:
        link(store, candidate.id, "grade", result_id=result_id, reason=found.reason)
    audit("grade", candidate_ref=candidate.ref if candidate else "", run_id=run_id, model_profile=profile,
          prompt_version=prompt_version, input_hash=text_hash(f"{question}\n{answer}"),
          detail={"ok": ok, "cached": cached, "overall": overall}, store=store)


def questioned(store: Store, resume_text: str, *, result_id: int | None, profile: str, prompt_version: str,
               ok: bool, cached: bool, count: int, owner: str = "") -> None:
    """Interview questions are stored: link them to ``owner``'s candidate whose stored resume they were made from."""
    found = candidate_for_text(store, resume_text, owner)
    candidate = found[0].candidate if found else None
    if found is not None and candidate is not None and ok and result_id is not None:
        link(store, candidate.id, "questions", document_id=found[1], result_id=result_id, reason="document")
    audit("questions", candidate_ref=candidate.ref if candidate else "", model_profile=profile,
          prompt_version=prompt_version, input_hash=text_hash(resume_text.strip()),
          detail={"ok": ok, "cached": cached, "questions": count}, store=store)
