"""Labelled resumes for ranking benchmarks: real livecareer.com resume PDFs of 24 professions, built from a local
copy of a public GitHub repository (nothing is downloaded here).

    python bench/resume_set.py --source /work/.mirror/Sbhawal+resumeScraper/repo [--out data/resume_set]

Source: the public "Resume Dataset" (resumes scraped from livecareer.com, one folder of PDFs per category:
ACCOUNTANT, CHEF, INFORMATION-TECHNOLOGY, ...), as committed in github.com/Sbhawal/resumeScraper under
``data/<CATEGORY>/<id>.pdf`` (a checkout or its bare git directory). The repository states no licence, so the
PDFs are not committed here: this script copies a fixed selection into ``data/resume_set/`` (git-ignored) and
writes ``labels.json`` beside them. Source, commit and licence: assets/datasets/README.md.

Selection (fixed seed): every INFORMATION-TECHNOLOGY resume whose title (the PDF's first line) names an IT role
(``IT_TITLE``) up to ``IT_COUNT``, the ENGINEERING resumes whose title says SOFTWARE, and ``OTHER_COUNT`` resumes
of each other category. An INFORMATION-TECHNOLOGY resume whose title names no IT role ("STAFF PHARMACIST",
"ASSISTANT FOOTBALL COACH") is left out: its category and its content disagree, so no rule can label it.

Relevance, per job (the jobs are assets/datasets/it_jobs/*.txt), written down before any score was seen:
  0  a resume of another profession (any category but INFORMATION-TECHNOLOGY; ENGINEERING unless SOFTWARE);
  1  an IT professional (INFORMATION-TECHNOLOGY, or a SOFTWARE engineering title);
  2  an IT professional whose title matches the job's own pattern (``JOB_TITLE`` below).
Split: each resume goes to train or test by a seeded hash of its file id (about half each). Scores may be tuned
on train resumes of the jobs in ``TUNE_JOBS`` only; figures are reported on test resumes, and the jobs java and
devops are never used for tuning at all.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "data" / "resume_set"
JOBS_DIR = REPO / "assets" / "datasets" / "it_jobs"
SEED = 20260412
IT_COUNT = 45
OTHER_COUNT = 5
IT = "INFORMATION-TECHNOLOGY"
IT_TITLE = re.compile(r"information|technology|\bit\b|computer|network|system|software|developer|programmer|data"
                      r"|web|technician|security|chief information|engineer|help desk|\.net|database", re.I)
JOB_TITLE = {
    "python": r"python|developer|programmer|software",
    "java": r"\bjava\b|developer|programmer|software",
    "data_science": r"data|analyst|analytics|database|research",
    "devops": r"system|network|infrastructure|administrator|aws|cloud|engineer",
    "web_frontend": r"\bweb\b|developer|drupal|\.net",
    "it_support": r"support|technician|help desk|specialist",
}
TUNE_JOBS = ("python", "data_science", "web_frontend", "it_support")


def base_relevance(category: str, title: str) -> int:
    if category == IT:
        return 1
    return 1 if category == "ENGINEERING" and re.search(r"software", title, re.I) else 0


def relevance(category: str, title: str, job: str) -> int:
    base = base_relevance(category, title)
    return 2 if base and re.search(JOB_TITLE[job], title, re.I) else base


def split_of(file_id: str) -> str:
    return "train" if int(hashlib.sha256(f"{SEED}:{file_id}".encode()).hexdigest(), 16) % 2 == 0 else "test"


class Source:
    """A repository copy: a checkout (files on disk) or a git directory (files read with ``git show``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bare = (path / "HEAD").is_file() and not (path / ".git").exists()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.path), *args], check=True, capture_output=True).stdout

    def commit(self) -> str:
        if self.bare:
            return self._git("rev-parse", "HEAD").decode().strip()
        return subprocess.run(["git", "-C", str(self.path), "rev-parse", "HEAD"], capture_output=True,
                              text=True).stdout.strip()

    def pdfs(self) -> list[str]:
        if self.bare:
            names = self._git("ls-tree", "-r", "--name-only", "HEAD", "data/").decode().split("\n")
        else:
            names = [str(p.relative_to(self.path)) for p in (self.path / "data").glob("*/*.pdf")]
        return sorted(n for n in names if n.endswith(".pdf") and n.count("/") == 2)

    def read(self, rel: str) -> bytes:
        return self._git("show", f"HEAD:{rel}") if self.bare else (self.path / rel).read_bytes()


def title_of(pdf: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        text = doc[0].get_text() if doc.page_count else ""
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, required=True, help="checkout or git dir of Sbhawal/resumeScraper")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    src = Source(args.source)
    by_cat: dict[str, list[str]] = {}
    for name in src.pdfs():
        by_cat.setdefault(name.split("/")[1], []).append(name)
    if IT not in by_cat:
        sys.exit(f"no data/{IT}/*.pdf in {args.source}: is it a copy of Sbhawal/resumeScraper?")
    rng = random.Random(SEED)
    chosen: list[tuple[str, str, bytes]] = []  # (path in source, title, bytes)
    for cat in sorted(by_cat):
        files = by_cat[cat][:]
        rng.shuffle(files)
        if cat == IT:
            want, keep = IT_COUNT, lambda t: bool(IT_TITLE.search(t))
        elif cat == "ENGINEERING":
            want, keep = OTHER_COUNT + 10, lambda t: True
        else:
            want, keep = OTHER_COUNT, lambda t: True
        picked = 0
        software = 0
        for rel in files:
            data = src.read(rel)
            title = title_of(data)
            if not title or not keep(title):
                continue
            if cat == "ENGINEERING":  # every SOFTWARE title (IT professionals) plus OTHER_COUNT others
                is_sw = bool(re.search(r"software", title, re.I))
                if not is_sw and picked - software >= OTHER_COUNT:
                    continue
                software += is_sw
            chosen.append((rel, title, data))
            picked += 1
            if picked >= want:
                break
    out = args.out
    (out / "resumes").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for rel, title, data in chosen:
        cat, fname = rel.split("/")[1], rel.split("/")[2]
        key = f"{cat}__{fname[:-4]}"
        (out / "resumes" / f"{key}.pdf").write_bytes(data)
        rows.append({"key": key, "file": f"resumes/{key}.pdf", "source_path": rel, "category": cat, "title": title,
                     "split": split_of(fname[:-4]),
                     "relevance": {job: relevance(cat, title, job) for job in JOB_TITLE}})
    meta = {"source": "https://github.com/Sbhawal/resumeScraper", "commit": src.commit(), "seed": SEED,
            "jobs": {job: f"assets/datasets/it_jobs/{job}.txt" for job in JOB_TITLE}, "tune_jobs": list(TUNE_JOBS),
            "resumes": rows}
    (out / "labels.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    cats = {r["category"] for r in rows}
    print(f"{len(rows)} resumes of {len(cats)} categories -> {out}", file=sys.stderr)
    for job in JOB_TITLE:
        counts = [sum(1 for r in rows if r["relevance"][job] == g) for g in (0, 1, 2)]
        print(f"  {job}: relevance 0/1/2 = {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
