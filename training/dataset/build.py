"""Build a training set: read, refuse evaluation rows, deduplicate, split by question, add negatives,
convert to chat form, write ``train.jsonl``, ``val.jsonl`` and ``manifest.json`` to a folder."""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from core.config import REPO_ROOT
from core.messages import msg
from training.config import DataSettings, TargetFormat
from training.dataset.guard import eval_index, pair_hash
from training.dataset.negatives import make_negatives
from training.dataset.rows import DatasetError, GradeExample, RowProblem, Table, excerpt, read_path, read_table
from training.dataset.targets import chat_record

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class _Reasons:
    """Why no row could be used (the first few problems), in the reader's language."""

    problems: tuple[RowProblem, ...]

    def text(self, lang: str = "en") -> str:
        return "; ".join(p.text(lang) for p in self.problems) or msg("ds_err_file_empty", lang)


@dataclass
class BuiltDataset:
    train: list[GradeExample]
    val: list[GradeExample]
    source: str
    target_format: TargetFormat
    rows_read: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    refused: list[RowProblem] = field(default_factory=list)
    duplicates: int = 0
    conflicting_duplicates: int = 0
    eval_files: tuple[str, ...] = ()

    @property
    def examples(self) -> list[GradeExample]:
        return self.train + self.val

    def content_hash(self) -> str:
        """sha256 of the examples as trained on (what the adapter's metadata records)."""
        h = hashlib.sha256()
        for ex in self.examples:
            h.update(json.dumps(ex.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        return h.hexdigest()

    def write(self, folder: Path) -> Path:
        """Write the built set; each line carries the example and its chat form (``prompt``/``completion``)."""
        from core.prompts import load_prompt

        folder.mkdir(parents=True, exist_ok=True)
        for split, rows in (("train", self.train), ("val", self.val)):
            with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as fh:
                for ex in rows:
                    fh.write(json.dumps({**ex.to_dict(), **chat_record(ex, self.target_format)},
                                        ensure_ascii=False) + "\n")
        manifest = {
            "source": self.source,
            "target_format": self.target_format,
            "prompt_version": load_prompt("grade").version,
            "sha256": self.content_hash(),
            "train": len(self.train),
            "val": len(self.val),
            "rows_read": self.rows_read,
            "problems": [str(p) for p in self.problems],
            "refused": [str(p) for p in self.refused],
            "duplicates": self.duplicates,
            "conflicting_duplicates": self.conflicting_duplicates,
            "eval_files": list(self.eval_files),
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder


def _dedupe(examples: list[GradeExample]) -> tuple[list[GradeExample], int, int]:
    seen: dict[str, GradeExample] = {}
    dups = conflicts = 0
    for ex in examples:
        key = pair_hash(ex.question, ex.answer)
        if key in seen:
            dups += 1
            conflicts += int(abs(seen[key].score - ex.score) > 1e-6)
            continue
        seen[key] = ex
    return list(seen.values()), dups, conflicts


def _split(examples: list[GradeExample], val_fraction: float, seed: int) -> tuple[list[GradeExample], list[GradeExample]]:
    """Split by question, so validation questions are never seen in training."""
    questions = sorted({ex.question for ex in examples})
    random.Random(seed).shuffle(questions)
    n_val = math.ceil(val_fraction * len(questions)) if val_fraction > 0 and len(questions) > 1 else 0
    n_val = min(n_val, len(questions) - 1)
    val_q = set(questions[:n_val])
    train = [ex for ex in examples if ex.question not in val_q]
    val = [ex for ex in examples if ex.question in val_q]
    for ex in train:
        ex.split = "train"
    for ex in val:
        ex.split = "val"
    return train, val


def build_from_table(table: Table, settings: DataSettings, source: str) -> BuiltDataset:
    index = eval_index()
    kept: list[GradeExample] = []
    refused: list[RowProblem] = []
    for ex in table.examples:
        why = index.check(ex.question, ex.answer)
        if why:
            refused.append(RowProblem(f"answer {ex.row} ({excerpt(ex.question)})", why))
        else:
            kept.append(ex)
    unique, dups, conflicts = _dedupe(kept)
    if not unique:
        raise DatasetError(key="ds_err_no_rows", source=source, reasons=_Reasons(tuple((refused + table.problems)[:5])))
    train, val = _split(unique, settings.val_fraction, settings.seed)
    train += make_negatives(train, settings.negative_ratio, settings.seed)
    val += make_negatives(val, settings.negative_ratio, settings.seed + 1)
    return BuiltDataset(train=train, val=val, source=source, target_format=settings.target_format,
                        rows_read=table.rows_read, problems=table.problems, refused=refused, duplicates=dups,
                        conflicting_duplicates=conflicts, eval_files=index.files)


def resolve_path(path: str) -> Path:
    """A dataset path as written in a config: absolute, relative to the working folder, or to the repository."""
    p = Path(path).expanduser()
    if p.exists() or p.is_absolute():
        return p
    return REPO_ROOT / p


def build_dataset(settings: DataSettings) -> BuiltDataset:
    """Build from ``settings.path``: a raw file (CSV/JSONL/XLSX) or a folder made by :meth:`BuiltDataset.write`."""
    path = resolve_path(settings.path)
    if path.is_dir():
        return load_built(path, settings.target_format)
    if not path.exists():
        raise DatasetError(key="ds_err_not_found", path=settings.path, looked=path)
    table = read_path(path, settings.score_min, settings.score_max)
    return build_from_table(table, settings, str(path))


def keep_upload(src: Path) -> Path:
    """Copy an uploaded dataset under HIRELAB_HOME/datasets (named by content), so a run can rebuild from it
    after the upload's temporary file is gone."""
    from core.config import settings

    data = src.read_bytes()
    target = settings().home / "datasets" / f"{hashlib.sha256(data).hexdigest()[:12]}-{src.name}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return target


def build_from_bytes(data: bytes, name: str, settings: DataSettings) -> BuiltDataset:
    return build_from_table(read_table(data, name, settings.score_min, settings.score_max), settings, name)


def load_built(folder: Path, target_format: TargetFormat | None = None) -> BuiltDataset:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise DatasetError(key="ds_err_not_built", folder=folder, manifest=MANIFEST)
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    splits: dict[str, list[GradeExample]] = {}
    index = eval_index()
    for split in ("train", "val"):
        rows: list[GradeExample] = []
        with open(folder / f"{split}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    ex = GradeExample.from_dict(json.loads(line))
                    why = index.check(ex.question, ex.answer)
                    if why:  # the evaluation data may have grown since the build
                        raise DatasetError(f"{folder}/{split}.jsonl row {len(rows) + 1} {why}; rebuild the dataset")
                    rows.append(ex)
        splits[split] = rows
    return BuiltDataset(train=splits["train"], val=splits["val"], source=str(folder),
                        target_format=target_format or manifest.get("target_format", "json"),
                        rows_read=int(manifest.get("rows_read", 0)), duplicates=int(manifest.get("duplicates", 0)),
                        eval_files=index.files)
