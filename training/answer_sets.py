"""Human-graded short answers from public sets, as one JSONL with a question-wise train/validation/test split.

    python training/answer_sets.py --saf SAF_REPO --beetle BEETLE_REPO [--out data/answer_sets/answers.jsonl]

Each source is a local copy of a public GitHub repository (a checkout or its bare git directory; nothing is
downloaded here). Sources, commits and licences are listed in assets/datasets/README.md:

- SAF (Filighera et al., ACL 2022), English part: communication-networks questions, scores 0–1 and a label
  Correct / Partially correct / Incorrect, from ``data/{training,unseen_answers,unseen_questions}/english/*.xml``;
- Beetle (SemEval-2013 Task 7, Dzikovska et al.): basic electricity and electronics tutoring questions, from
  ``semevalFormatProcessing-2way/answers.csv`` (id, question, answer, one reference answer) and the gold
  labels in ``trainingGold.txt``, ``testGold-UA.txt``, ``testGold-UQ.txt`` (5-way labels).

A row: ``source``, ``question_id`` (prefixed with the source), ``question``, ``answer``, ``reference``,
``label`` (1 = judged correct by the people who graded it, 0 = anything else: partial, contradictory,
irrelevant, off the domain), ``score`` (0–1: SAF's score; Beetle 1 for correct, 0 otherwise) and ``split``.

The split is by question: every question of a source goes, whole, to one of train (60 %), validation (20 %)
or test (20 %), drawn with a fixed seed, so no question is in two splits and a model fitted on train is
measured on questions it never saw.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

SEED = 20130614
SHARES = (("train", 0.6), ("validation", 0.2), ("test", 0.2))
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "answer_sets" / "answers.jsonl"


class Source:
    """A repository copy: a checkout (files on disk) or a git directory (files read with ``git show``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _git(self, *args: str) -> str:
        return subprocess.run(["git", "--git-dir", str(self.path), *args], check=True, capture_output=True,
                              text=True, encoding="utf-8", errors="replace").stdout

    def is_checkout(self) -> bool:
        return not (self.path / "HEAD").is_file() or (self.path / ".git").exists()

    def read(self, rel: str) -> str:
        if self.is_checkout():
            return (self.path / rel).read_text(encoding="utf-8", errors="replace")
        return self._git("show", f"HEAD:{rel}")

    def files(self, folder: str) -> list[str]:
        if self.is_checkout():
            return sorted(str(p.relative_to(self.path)) for p in (self.path / folder).glob("*.xml"))
        return sorted(f for f in self._git("ls-tree", "-r", "--name-only", "HEAD", folder).splitlines()
                      if f.endswith(".xml"))

    def commit(self) -> str | None:
        try:
            return self._git("rev-parse", "HEAD").strip() if not self.is_checkout() else subprocess.run(
                ["git", "-C", str(self.path), "rev-parse", "HEAD"], check=True, capture_output=True,
                text=True).stdout.strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            return None


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def saf_rows(src: Source) -> list[dict]:
    rows = []
    for folder in ("data/training/english", "data/unseen_answers/english", "data/unseen_questions/english"):
        for rel in src.files(folder):
            root = ET.fromstring(src.read(rel).encode("utf-8"))
            qid = root.get("id")
            question = _clean(root.findtext("questionText"))
            reference = _clean(root.findtext("referenceAnswers/referenceAnswer"))
            for sa in root.iter("studentAnswer"):
                answer = _clean(sa.findtext("response"))
                label = _clean(sa.findtext("verification_feedback")).lower()
                if not answer or label not in {"correct", "partially correct", "incorrect"}:
                    continue
                rows.append({"source": "saf_en", "question_id": f"saf_en:{qid}", "question": question,
                             "answer": answer, "reference": reference, "label": int(label == "correct"),
                             "score": float(_clean(sa.findtext("score")) or 0.0), "human_label": label})
    return rows


def beetle_rows(src: Source) -> list[dict]:
    folder = "semevalFormatProcessing-2way"
    gold: dict[str, tuple[str, str]] = {}
    for name in ("trainingGold.txt", "testGold-UA.txt", "testGold-UQ.txt"):
        for line in src.read(f"{folder}/{name}").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) >= 6:
                gold[parts[0]] = (parts[1], parts[5].strip())
    rows = []
    for line in src.read(f"{folder}/answers.csv").splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in gold:
            continue
        qid, label = gold[parts[0]]
        answer = _clean(parts[2])
        if not answer:
            continue
        rows.append({"source": "beetle", "question_id": f"beetle:{qid}", "question": _clean(parts[1]),
                     "answer": answer, "reference": _clean(parts[3]), "label": int(label == "correct"),
                     "score": float(label == "correct"), "human_label": label})
    return rows


def assign_splits(rows: list[dict]) -> None:
    """Whole questions to train / validation / test, per source, with a fixed seed."""
    rng = random.Random(SEED)
    split_of: dict[str, str] = {}
    for source in sorted({r["source"] for r in rows}):
        questions = sorted({r["question_id"] for r in rows if r["source"] == source})
        rng.shuffle(questions)
        start = 0
        for i, (name, share) in enumerate(SHARES):
            end = len(questions) if i == len(SHARES) - 1 else start + round(share * len(questions))
            split_of.update({q: name for q in questions[start:end]})
            start = end
    for r in rows:
        r["split"] = split_of[r["question_id"]]


def load(path: Path = DEFAULT_OUT, split: str | None = None) -> list[dict]:
    """The built rows (of one split, or all)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split is None or r["split"] == split]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--saf", type=Path, required=True, help="SebOchs/SAF: a checkout or its git directory")
    ap.add_argument("--beetle", type=Path, required=True,
                    help="ashudeep/Student-Response-Analysis: a checkout or its git directory")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    saf, beetle = Source(args.saf), Source(args.beetle)
    rows = saf_rows(saf) + beetle_rows(beetle)
    assign_splits(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = Counter((r["source"], r["split"]) for r in rows)
    questions = Counter((r["source"], r["split"]) for r in {(r["source"], r["split"], r["question_id"]): r
                                                            for r in rows}.values())
    meta = {"sources": {"saf_en": {"repo": "SebOchs/SAF", "commit": saf.commit()},
                        "beetle": {"repo": "ashudeep/Student-Response-Analysis", "commit": beetle.commit()}},
            "seed": SEED, "rows": len(rows),
            "by_split": {f"{s}/{p}": {"answers": n, "questions": questions[(s, p)],
                                      "correct": sum(r["label"] for r in rows if (r["source"], r["split"]) == (s, p))}
                         for (s, p), n in sorted(counts.items())}}
    args.out.with_suffix(".meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    json.dump(meta, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
