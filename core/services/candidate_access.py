"""The candidate a request may change: found by its reference, refused when it is not the requester's.

Deleting a candidate, recording a decision and sending an interview link change a candidate; a demo visitor
(``owner``, core.services.owners) may do that to their own candidates only, never to the shared samples or to
another visitor's. The team (owner ``""``) may change any.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.services.owners import SAMPLES, NotYours, can_change
from core.services.records import RecordsError
from core.store.records import candidate_by_ref
from core.store.tables import CandidateRow


def owned_candidate(s: Session, ref: str, owner: str) -> CandidateRow:
    """The candidate ``ref`` when ``owner`` may change it. Raises RecordsError when no candidate has this ref,
    NotYours (saying what to do instead) when it is a sample or another visitor's."""
    ref = (ref or "").strip()
    row = candidate_by_ref(s, ref)
    if row is None:
        raise RecordsError(key="rec_not_found", ref=ref)
    if not can_change(row.owner, owner):
        raise NotYours(key="own_sample" if row.owner == SAMPLES else "own_not_yours", ref=ref)
    return row
