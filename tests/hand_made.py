"""Records made by hand for the tests that read them back: a comparison's judge verdicts and pairwise picks, and
a small store for the analytics pages. Imported by the test modules, which never import each other."""

from __future__ import annotations

from pathlib import Path

from core.compare.records import JudgeRecord
from core.schemas import JudgeVerdict, PairwiseAssessment, Provenance

PROV = Provenance(model_profile="t", engine="fixed", prompt_version="v", input_hash="h", seconds=0)


def judged(model: str, item: str, repeat: int, acc: int, tech: int, depth: int) -> JudgeRecord:
    v = JudgeVerdict(reasoning="fixed", accuracy_of_analysis=acc, technical_correctness=tech, depth_of_analysis=depth,
                     judged_profile=model, item_id=item, repeat=repeat, provenance=PROV)
    return JudgeRecord(model=model, item_id=item, repeat=repeat, ok=True, verdict=v)


def pick(choice: str) -> PairwiseAssessment:
    return PairwiseAssessment(reasoning="fixed", better=choice)


def hand_made_store(home: Path) -> None:
    """A store with two candidates' reports for one job (one resume with instruction-like text), two decisions, a
    training run, and a report that belongs to no candidate (a probe's copy), which the pages must not count."""
    from core.store import ResultRecord, get_store
    from core.store.tables import CandidateLinkRow, CandidateRow, DecisionRow

    store = get_store()
    job_id = store.upsert_job("Data engineer\nPython, SQL, Airflow and Spark pipelines for a retail company.")
    for n, (score, rec, flags) in enumerate([(82, "advance", []), (40, "decline", [{"kind": "injection", "snippet": "x"}])]):
        doc_id = store.upsert_document(f"{n:064d}", f"r{n}.txt", "text/plain", "en", 1, "text", {"flags": flags})
        rid = store.save_result(ResultRecord("fit", f"key{n}", "rules", "fit-v1", True,
                                             {"match_score": score, "recommendation": rec, "red_flags": [], "unverified_quotes": 0},
                                             "", None, 0.1, f"r{n}.txt", doc_id, job_id))
        with store.session() as s:
            cand = CandidateRow(ref=f"ref{n}", name=f"Person {n}")
            s.add(cand)
            s.flush()
            s.add(CandidateLinkRow(candidate_id=cand.id, result_id=rid, document_id=doc_id, job_id=job_id, kind="fit"))
            s.add(DecisionRow(candidate_id=cand.id, job_id=job_id, result_id=rid, decision="advance", reason="r",
                              decided_by="Anna", shown={"score": score, "recommendation": rec, "profile": "rules"}))
    store.save_result(ResultRecord("fit", "probe-copy", "rules", "fit-v1", True,
                                   {"match_score": 99, "recommendation": "advance", "red_flags": [], "unverified_quotes": 0},
                                   "", None, 0.1, "fairness probe - copy.txt", None, job_id))
    store.save_run("sft-1", "sft", "grader sft", "completed", {"profile": "offline"}, {"steps": 3, "last_loss": 1.2},
                   str(home / "runs" / "sft-1"))
