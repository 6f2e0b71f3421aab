"""Who a document or an answer belongs to: the one place that decides, and says why.

Evidence, strongest first:

1. ``reference``: an explicit candidate (an interview link, the Candidates tab, the CLI's ``--candidate``);
2. ``document``: the same file is already linked to a candidate (where a person's merge or split left it);
3. ``email``: an e-mail address the candidate has given before;
4. ``phone``: a phone number that is not a placeholder ((123) 456-7890, 555-…, all one digit, a run of
   consecutive digits) and is not held by people of different names;
5. ``name``: the same name (case, ё/е, word order, initials, Russian in Latin letters aside: Иван Иванов is
   Ivan Ivanov), taken only when exactly one candidate has it and nothing contradicts it.

Two different names never merge on one signal: an e-mail or phone match whose names differ is not taken,
and a name match whose e-mails (or phones) differ is not taken. The reason is stored with each link
(``candidate_links.reason``) and shown in the candidate's record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.facts.names import own_emails, resume_name, same_name
from core.store import Store
from core.store.records import CandidateKey, candidate_by_ref, new_ref, phone_key
from core.store.tables import CandidateLinkRow, CandidateRow, DocumentRow

REASONS = ("reference", "document", "email", "phone", "name", "new", "merge", "split")


@dataclass(frozen=True)
class Evidence:
    """What is known about whom a document or answer belongs to."""

    ref: str = ""  # an explicit candidate reference
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    name: tuple[str, ...] = ()  # name words as written
    document_id: int | None = None
    label: str = ""  # the name to give a new candidate when no name is known (a file name without extension)
    name_source: str = ""  # where the name came from (core.facts.names.PersonName.source; "file" for a file name)


@dataclass(frozen=True)
class Match:
    candidate: CandidateKey | None
    reason: str  # one of REASONS ("" when nothing matched)
    notes: tuple[str, ...] = field(default=())  # evidence set aside: "email_name_conflict", "phone_placeholder", ...


# placeholders ------------------------------------------------------------------------------------------------
def _runs(digits: str) -> int:
    """The longest run of consecutive digits, up or down (9 then 0 counts as up: 1234567890)."""
    best = cur_up = cur_down = 1
    for a, b in zip(digits, digits[1:]):
        cur_up = cur_up + 1 if (int(a) + 1) % 10 == int(b) else 1
        cur_down = cur_down + 1 if (int(b) + 1) % 10 == int(a) else 1
        best = max(best, cur_up, cur_down)
    return best


def is_placeholder_phone(phone: str) -> bool:
    """A number that templates and examples use, never one person's: (123) 456-7890, 555-0142, 000…, 999 99 99."""
    digits = re.sub(r"\D", "", phone or "")
    key = digits[-10:]
    if len(key) < 7:
        return True
    if len(set(key)) <= 2 or re.search(r"(\d)\1{5}", key):
        return True
    if _runs(key) >= 6:
        return True
    russian = (digits.startswith("7") or digits.startswith("8")) and len(digits) == 11
    if not russian and len(key) == 10 and (key[3:6] == "555" or key[:3] == "555"):
        return True  # North American 555 numbers are fictional
    return False


# evidence --------------------------------------------------------------------------------------------------
def resume_evidence(document_id: int, filename: str, text: str, facts: dict[str, Any] | None) -> Evidence:
    """The evidence a stored resume gives: its e-mails and phones, the person's name, the file itself."""
    contacts = (facts or {}).get("contacts") or {}
    emails = own_emails(text, [str(e) for e in contacts.get("emails") or []])
    found = resume_name(text, facts)
    return Evidence(emails=tuple(emails), phones=tuple(str(p) for p in contacts.get("phones") or []),
                    name=found.words if found else (), document_id=document_id, label=Path(filename).stem,
                    name_source=found.source if found else "file")


def named_evidence(candidate: str) -> Evidence:
    """Evidence from what a person typed as the candidate: a stored reference, or a name."""
    text = " ".join((candidate or "").split())
    if re.fullmatch(r"c[0-9a-f]{12}", text):
        return Evidence(ref=text)
    words = tuple(w.strip(".,") for w in text.split() if w.strip(".,"))
    return Evidence(name=words, label=text, name_source="typed")


# what a stored candidate is known by -------------------------------------------------------------------------
def _names(row: CandidateRow) -> list[list[str]]:
    data = row.data or {}
    out = [list(n) for n in data.get("names") or [] if n]
    if row.name and data.get("name_source") != "file":
        out.append(row.name.split())
    return [n for n in out if len(n) >= 2]


def _emails(row: CandidateRow) -> set[str]:
    data = row.data or {}
    return {e.strip().casefold() for e in [row.email, *(data.get("emails") or [])] if e and e.strip()}


def _phones(row: CandidateRow) -> set[str]:
    data = row.data or {}
    return {phone_key(p) for p in [row.phone, *(data.get("phones") or [])] if p and not is_placeholder_phone(p)}


def _name_conflict(row: CandidateRow, name: tuple[str, ...]) -> bool:
    """Both have a name and no name of the candidate is this one."""
    theirs = _names(row)
    return len(name) >= 2 and bool(theirs) and not any(same_name(name, n) for n in theirs)


def _pool(s: Session, owner: str) -> list[CandidateRow]:
    return list(s.scalars(select(CandidateRow).where(CandidateRow.owner == owner).order_by(CandidateRow.id)))


def resolve(s: Session, ev: Evidence, owner: str = "") -> Match:
    """The candidate this evidence points to among ``owner``'s, and why; ``Match(None, "")`` when none."""
    notes: list[str] = []
    if ev.ref:
        row = candidate_by_ref(s, ev.ref)
        if row is not None and row.owner == owner:
            return Match(CandidateKey(row.id, row.ref), "reference")
        return Match(None, "", ("unknown_reference",))
    if ev.document_id is not None:
        row = s.scalar(select(CandidateRow).join(CandidateLinkRow, CandidateLinkRow.candidate_id == CandidateRow.id)
                       .where(CandidateLinkRow.document_id == ev.document_id, CandidateLinkRow.kind == "document",
                              CandidateRow.owner == owner).order_by(CandidateLinkRow.id.desc()).limit(1))
        if row is not None:
            return Match(CandidateKey(row.id, row.ref), "document")
    pool = _pool(s, owner)
    emails = {e.strip().casefold() for e in ev.emails if e.strip()}
    if emails:
        hits = [r for r in pool if _emails(r) & emails]
        fair = [r for r in hits if not _name_conflict(r, ev.name)]
        if fair:
            return Match(CandidateKey(fair[0].id, fair[0].ref), "email")
        if hits:
            notes.append("email_name_conflict")
    phones = set()
    for p in ev.phones:
        if is_placeholder_phone(p):
            notes.append("phone_placeholder")
        else:
            phones.add(phone_key(p))
    if phones:
        hits = [r for r in pool if _phones(r) & phones]
        holders = [n for r in hits for n in _names(r)[:1]]
        shared = any(not same_name(a, b) for i, a in enumerate(holders) for b in holders[i + 1:])
        fair = [r for r in hits if not _name_conflict(r, ev.name)
                and not (emails and _emails(r) and not (_emails(r) & emails) and len(ev.name) < 2)]
        if fair and not shared:
            return Match(CandidateKey(fair[0].id, fair[0].ref), "phone")
        if hits:
            notes.append("phone_shared" if shared else "phone_name_conflict")
    if len(ev.name) >= 2:
        hits = [r for r in pool if any(same_name(ev.name, n) for n in _names(r))]
        fair = [r for r in hits if not (emails and _emails(r) and not (_emails(r) & emails))
                and not (phones and _phones(r) and not (_phones(r) & phones))]
        if len(fair) == 1:
            return Match(CandidateKey(fair[0].id, fair[0].ref), "name")
        if fair:
            notes.append("name_ambiguous")
        elif hits:
            notes.append("name_contacts_conflict")
    return Match(None, "", tuple(dict.fromkeys(notes)))


# find or create ----------------------------------------------------------------------------------------------
def remember(row: CandidateRow, ev: Evidence) -> None:
    """Add what this evidence says to the candidate (more e-mails, phones, a better name)."""
    data = dict(row.data or {})
    data["emails"] = list(dict.fromkeys([*(data.get("emails") or []), *ev.emails]))[:20]
    data["phones"] = list(dict.fromkeys([*(data.get("phones") or []), *ev.phones]))[:20]
    if len(ev.name) >= 2:
        names = [list(n) for n in data.get("names") or []]
        if list(ev.name) not in names:
            names.append(list(ev.name))
        data["names"] = names[:10]
        if not row.name or data.get("name_source") in (None, "", "file"):
            row.name = " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in ev.name)[:200]
            data["name_source"] = ev.name_source or "name"
    elif not row.name and ev.label:
        row.name = ev.label[:200]
        data.setdefault("name_source", ev.name_source or "file")
    if not row.email and ev.emails:
        row.email = ev.emails[0][:200]
    if not row.phone:
        usable = [p for p in ev.phones if not is_placeholder_phone(p)]
        if usable:
            row.phone = usable[0][:64]
    row.data = data
    row.updated_at = datetime.now(timezone.utc)


def find_or_create(s: Session, ev: Evidence, owner: str = "", create: bool = True) -> Match:
    """The candidate of this evidence (created when none matches and ``create``), with why; what it says is kept."""
    found = resolve(s, ev, owner)
    if found.candidate is not None:
        row = s.get(CandidateRow, found.candidate.id)
        if row is not None and found.reason != "reference":
            remember(row, ev)
        return found
    if ev.ref or not create or not (ev.name or ev.label or ev.emails or ev.document_id):
        return found
    row = CandidateRow(ref=new_ref(), name="", email="", phone="", data={}, owner=owner)
    remember(row, ev)
    s.add(row)
    s.flush()
    return Match(CandidateKey(row.id, row.ref), "new", found.notes)


def refresh(s: Session, row: CandidateRow) -> None:
    """Know the candidate again from the documents still linked to them (after a document was split off)."""
    doc_ids = list(s.scalars(select(CandidateLinkRow.document_id).where(
        CandidateLinkRow.candidate_id == row.id, CandidateLinkRow.kind == "document",
        CandidateLinkRow.document_id.is_not(None)).order_by(CandidateLinkRow.id)))
    docs = [d for d in (s.get(DocumentRow, i) for i in dict.fromkeys(doc_ids)) if d is not None]
    if not docs:
        return
    keep = {k: v for k, v in (row.data or {}).items() if k not in ("emails", "phones", "names", "name_source")}
    row.data, row.name, row.email, row.phone = keep, "", "", ""
    for d in docs:
        remember(row, resume_evidence(d.id, d.filename, d.text, (d.data or {}).get("facts")))


def candidate_for_resume(store: Store, document_id: int, filename: str, text: str, facts: dict[str, Any] | None,
                         job_id: int | None = None, owner: str = "", ref: str = "") -> Match:
    """The candidate a stored resume belongs to (found or created; ``ref``: the one a person named), with the
    document linked and why."""
    from core.store.records import _link

    ev = resume_evidence(document_id, filename, text, facts)
    if ref:
        ev = replace(ev, ref=ref.strip())
    with store.session() as s:
        found = find_or_create(s, ev, owner)
        assert found.candidate is not None  # a resume always has a document, so one is made
        _link(s, found.candidate.id, "document", document_id=document_id, job_id=job_id, reason=found.reason)
    return found


def candidate_for_answer(store: Store, candidate: str, owner: str = "") -> Match:
    """The candidate an answer is for: a reference as given, else the one of that name (created when none has
    it). ``Match(None, …)`` for an empty or unknown reference."""
    ev = named_evidence(candidate)
    if not ev.ref and not ev.label:
        return Match(None, "")
    with store.session() as s:
        return find_or_create(s, ev, owner)


def candidate_for_text(store: Store, text: str, owner: str = "") -> tuple[Match, int] | None:
    """The candidate whose stored resume has exactly this text, with that document's id (None when none)."""
    text = (text or "").strip()
    if not text:
        return None
    with store.session() as s:
        for doc_id in s.scalars(select(DocumentRow.id).where(DocumentRow.text.in_([text, text + "\n"])).order_by(DocumentRow.id)):
            found = resolve(s, Evidence(document_id=doc_id), owner)
            if found.candidate is not None:
                return found, doc_id
    return None


__all__ = ["Evidence", "Match", "REASONS", "candidate_for_answer", "candidate_for_resume", "candidate_for_text",
           "find_or_create", "is_placeholder_phone", "refresh", "remember", "resolve", "resume_evidence"]
