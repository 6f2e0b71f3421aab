"""Keep evaluation data out of training: rows whose normalised question+answer (or question) match the
evaluation files are refused. The evaluation folder is ``HIRELAB_EVAL_DIR``, default ``../shared/eval``
next to the repository."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.config import settings
from core.schemas.common import normalize_for_match

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def eval_dir() -> Path:
    """HIRELAB_EVAL_DIR (core.config)."""
    return settings().eval_dir


def _norm(text: str) -> str:
    return _EDGE.sub("", normalize_for_match(text or ""))


def pair_hash(question: str, answer: str) -> str:
    return hashlib.sha256(f"{_norm(question)}\n{_norm(answer)}".encode()).hexdigest()


def question_hash(question: str) -> str:
    return hashlib.sha256(_norm(question).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EvalIndex:
    folder: str
    files: tuple[str, ...]
    pairs: frozenset[str]
    questions: frozenset[str]

    def check(self, question: str, answer: str) -> str | None:
        """Why the row must not be trained on, or None."""
        if pair_hash(question, answer) in self.pairs:
            return "matches a row of the evaluation data (question and answer); evaluation data is never trained on"
        if question_hash(question) in self.questions:
            return "its question is from the evaluation data; evaluation questions are never trained on"
        return None


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted((str(p), p.stat().st_size, int(p.stat().st_mtime)) for p in folder.rglob("*.jsonl")))


@lru_cache(maxsize=4)
def _load(folder: str, signature: tuple[tuple[str, int, int], ...]) -> EvalIndex:
    pairs: set[str] = set()
    questions: set[str] = set()
    for path, _, _ in signature:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if not isinstance(row, dict) or not row.get("question"):
                    continue
                questions.add(question_hash(str(row["question"])))
                if row.get("answer") is not None:
                    pairs.add(pair_hash(str(row["question"]), str(row["answer"])))
    return EvalIndex(folder, tuple(p for p, _, _ in signature), frozenset(pairs), frozenset(questions))


def eval_index(folder: Path | None = None) -> EvalIndex:
    """Hashes of every question and question+answer in the evaluation folder's JSONL files (empty if absent)."""
    f = folder or eval_dir()
    return _load(str(f), _signature(f))
