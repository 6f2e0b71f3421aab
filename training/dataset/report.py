"""The dataset check report: rows, problems, refused rows, score histogram, token lengths, words per
question and answer, language mix, negatives, split sizes."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from core.messages import has, msg
from training.dataset.build import BuiltDataset
from training.dataset.rows import RowProblem
from training.dataset.targets import prompt_messages, target_text

if TYPE_CHECKING:
    from training.config import DataSettings


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
    warnings: list[str] = field(default_factory=list)  # English (JSON, CLI)
    # the warnings as message keys, for the text in other languages
    warning_keys: list[tuple[str, dict[str, Any]]] = field(default_factory=list, repr=False)
    problem_items: list[RowProblem] = field(default_factory=list, repr=False)  # problems, for other languages

    def warn(self, key: str, **kw: Any) -> None:
        self.warnings.append(msg(key, "en", **kw))
        self.warning_keys.append((key, kw))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("warning_keys")
        out.pop("problem_items")
        return out

    def markdown(self, lang: str = "en") -> str:
        def named(prefix: str, counts: dict[str, int]) -> str:
            keys = {k: prefix + k.replace(":", "_") for k in counts}
            return ", ".join(f"{msg(keys[k], lang) if has(keys[k]) else k} {v}" for k, v in counts.items())

        hist = " · ".join(f"{k}: {v}" for k, v in self.score_histogram.items())
        q, a = self.question_words, self.answer_words
        lines = [
            msg("ds_head", lang, source=self.source, rows=self.rows_read, usable=self.usable, train=self.train,
                val=self.val),
            msg("ds_scores", lang, hist=hist),
            msg("ds_languages", lang, items=named("ds_lang_", self.languages)),
            msg("ds_kinds", lang, items=named("ds_kind_", self.sources)),
            msg("ds_words", lang, q_mean=q.mean, q_max=q.max, a_mean=a.mean, a_median=a.median, a_max=a.max),
        ]
        if self.tokens:
            lines.append(msg("ds_tokens", lang, mean=self.tokens.mean, p95=self.tokens.p95, max=self.tokens.max,
                             over=self.over_max_length, limit=self.max_seq_length))
        elif self.tokenizer_note:
            lines.append(msg("ds_tokens_note", lang, note=self.tokenizer_note))
        lines.append(msg("ds_duplicates", lang, n=self.duplicates, conflicting=self.conflicting_duplicates))
        lines.append(msg("ds_refused_count", lang, n=len(self.refused), files=len(self.eval_files)))
        warnings = ([msg(k, lang, **kw) for k, kw in self.warning_keys]
                    if len(self.warning_keys) == len(self.warnings) else self.warnings)
        problems = ([p.text(lang) if isinstance(p, RowProblem) else str(p) for p in self.problem_items]
                    if len(self.problem_items) == len(self.problems) else self.problems)
        for title, items in (("ds_problems", problems), ("ds_refused", self.refused), ("ds_warnings", warnings)):
            if items:
                lines.append(f"\n**{msg(title, lang)}** ({len(items)}):")
                lines.extend(f"- {p}" for p in items[:30])
                if len(items) > 30:
                    lines.append(msg("ds_more", lang, n=len(items) - 30))
        return "\n".join(lines)


def check_report(built: BuiltDataset, tokenizer: Any | None = None, max_seq_length: int = 1024,
                 tokenizer_note: str = "") -> DatasetReport:
    examples = built.examples
    hist = Counter(str(min(5, max(1, int(ex.score + 0.5)))) for ex in examples)
    report = DatasetReport(
        source=built.source, rows_read=built.rows_read, usable=len(examples), train=len(built.train),
        val=len(built.val), problems=[str(p) for p in built.problems], problem_items=list(built.problems),
        refused=[str(p) for p in built.refused],
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
            report.warn("ds_warn_long", n=report.over_max_length, limit=max_seq_length)
    real = [ex for ex in examples if ex.source == "file"]
    if real and max(hist.values(), default=0) > 0.7 * len(examples):
        top = max(hist, key=lambda k: hist[k])
        report.warn("ds_warn_one_score", n=hist[top], total=len(examples), score=top)
    if len(real) < 20:
        report.warn("ds_warn_few", n=len(real))
    if not built.val:
        report.warn("ds_warn_no_val")
    return report


def check_dataset(data: DataSettings, profile: str, max_seq_length: int, lang: str = "en") -> DatasetReport:
    """The dataset check of the Train tab and `hirelab dataset check`: build the dataset ``data`` describes and
    report on it, counting tokens with ``profile``'s tokenizer (when it cannot be loaded the report says why and
    counts no tokens). Raises DatasetError when the file cannot be read."""
    from training.base_model import load_tokenizer
    from training.dataset.build import build_dataset

    built = build_dataset(data)
    tokenizer, note = None, ""
    try:
        tokenizer = load_tokenizer(profile)
    except Exception as exc:  # noqa: BLE001 - the report is still useful without token counts
        note = msg("t_not_counted", lang, error=exc)
    return check_report(built, tokenizer, max_seq_length, note)
