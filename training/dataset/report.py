"""The dataset check report: rows, problems, refused rows, score histogram, token lengths, words per
question and answer, language mix, negatives, split sizes."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from training.dataset.build import BuiltDataset
from training.dataset.targets import prompt_messages, target_text


@dataclass
class Spread:
    count: int = 0
    min: float = 0
    mean: float = 0
    median: float = 0
    p95: float = 0
    max: float = 0

    @classmethod
    def of(cls, values: list[float]) -> "Spread":
        if not values:
            return cls()
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        return cls(len(values), ordered[0], round(statistics.fmean(values), 1), statistics.median(values), p95,
                   ordered[-1])


@dataclass
class DatasetReport:
    source: str
    rows_read: int
    usable: int
    train: int
    val: int
    problems: list[str]
    refused: list[str]
    duplicates: int
    conflicting_duplicates: int
    score_histogram: dict[str, int]
    languages: dict[str, int]
    sources: dict[str, int]
    question_words: Spread
    answer_words: Spread
    tokens: Spread | None = None
    over_max_length: int = 0
    max_seq_length: int = 0
    tokenizer_note: str = ""
    eval_files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def markdown(self) -> str:
        hist = " · ".join(f"{k}: {v}" for k, v in self.score_histogram.items())
        lines = [
            f"**{self.source}** — {self.rows_read} rows read, {self.usable} usable "
            f"(train {self.train}, validation {self.val}, negatives included)",
            f"- scores (rounded): {hist}",
            f"- languages: {', '.join(f'{k} {v}' for k, v in self.languages.items())}",
            f"- kinds: {', '.join(f'{k} {v}' for k, v in self.sources.items())}",
            f"- words per question: mean {self.question_words.mean}, max {self.question_words.max}; "
            f"per answer: mean {self.answer_words.mean}, median {self.answer_words.median}, max {self.answer_words.max}",
        ]
        if self.tokens:
            lines.append(f"- tokens per example (prompt + target): mean {self.tokens.mean}, p95 {self.tokens.p95}, "
                         f"max {self.tokens.max}; {self.over_max_length} over max_seq_length {self.max_seq_length}")
        elif self.tokenizer_note:
            lines.append(f"- tokens: {self.tokenizer_note}")
        lines.append(f"- duplicates removed: {self.duplicates} ({self.conflicting_duplicates} with different scores)")
        lines.append(f"- rows refused as evaluation data: {len(self.refused)} "
                     f"(checked against {len(self.eval_files)} evaluation file(s))")
        for title, items in (("Problems", self.problems), ("Refused", self.refused), ("Warnings", self.warnings)):
            if items:
                lines.append(f"\n**{title}** ({len(items)}):")
                lines.extend(f"- {p}" for p in items[:30])
                if len(items) > 30:
                    lines.append(f"- … and {len(items) - 30} more")
        return "\n".join(lines)


def check_report(built: BuiltDataset, tokenizer: Any | None = None, max_seq_length: int = 1024,
                 tokenizer_note: str = "") -> DatasetReport:
    examples = built.examples
    hist = Counter(str(min(5, max(1, int(ex.score + 0.5)))) for ex in examples)
    report = DatasetReport(
        source=built.source, rows_read=built.rows_read, usable=len(examples), train=len(built.train),
        val=len(built.val), problems=[str(p) for p in built.problems], refused=[str(p) for p in built.refused],
        duplicates=built.duplicates, conflicting_duplicates=built.conflicting_duplicates,
        score_histogram={k: hist.get(k, 0) for k in "12345"},
        languages=dict(Counter(ex.language or "other" for ex in examples).most_common()),
        sources=dict(Counter(ex.source for ex in examples).most_common()),
        question_words=Spread.of([len(ex.question.split()) for ex in examples]),
        answer_words=Spread.of([len(ex.answer.split()) for ex in examples]),
        max_seq_length=max_seq_length, tokenizer_note=tokenizer_note, eval_files=list(built.eval_files),
    )
    if tokenizer is not None:
        lengths = []
        for ex in examples:
            messages = prompt_messages(ex) + [{"role": "assistant", "content": target_text(ex, built.target_format)}]
            ids = tokenizer.apply_chat_template(messages, tokenize=True)
            ids = ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids
            lengths.append(len(ids))
        report.tokens = Spread.of([float(n) for n in lengths])
        report.over_max_length = sum(n > max_seq_length for n in lengths)
        if report.over_max_length:
            report.warnings.append(f"{report.over_max_length} example(s) are longer than max_seq_length "
                                   f"{max_seq_length} and will be cut; raise model.max_seq_length or shorten them")
    real = [ex for ex in examples if ex.source == "file"]
    if real and max(hist.values(), default=0) > 0.7 * len(examples):
        top = max(hist, key=lambda k: hist[k])
        report.warnings.append(f"{hist[top]} of {len(examples)} examples score {top}: the grader may learn to "
                               "always give that score; add examples with other scores")
    if len(real) < 20:
        report.warnings.append(f"only {len(real)} real examples: enough for a smoke test, not for a useful grader "
                               "(hundreds are needed)")
    if not built.val:
        report.warnings.append("no validation split (val_fraction is 0 or there is only one question)")
    return report
