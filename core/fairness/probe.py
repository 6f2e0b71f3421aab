"""The fairness probe: counterfactual copies of each resume, screened against one job by one profile.

Copies go through the screening service (core.services.screening.screen) as text files, every copy of a
resume through the same path, the control included. They are stored as screening results under a subject
that starts with "fairness probe" and in a run whose id starts with "fairness-", with the hiring records off
(``keep_records=False``): no copy becomes a candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from core.bounds import check_text
from core.documents import DocumentError, parse_bytes
from core.fairness.counterfactual import find_name, group_of, make_copy
from core.fairness.metrics import CopyScore, FairnessFigures, summarize
from core.fairness.names import CONTROL, Markers, Person, load_markers
from core.messages import Count, LocalizedError, msg
from core.services.common import Progress, part_of, progress_lang, report
from core.services.runs import new_run_id
from core.services.screening import ScreenInput, ScreenOptions, screen

SUBJECT = "fairness probe"


class FairnessError(LocalizedError):
    """The probe cannot start; the message says what to change."""


@dataclass(frozen=True)
class ProbeConfig:
    profile: str | None = None  # a model profile (core.models); None: the default profile
    names_per_group: int = 2
    groups: tuple[str, ...] = ()  # empty: every group of assets/fairness/names.yaml


@dataclass(frozen=True)
class ProbeCopy:
    subject: str
    group: str
    person: str
    text: str


@dataclass(frozen=True)
class Skipped:
    resume: str
    error: str


@dataclass(frozen=True)
class FairnessReport:
    profile: str
    config: ProbeConfig
    groups: tuple[str, ...]
    resumes: list[str]
    original_groups: dict[str, str | None]  # resume -> the group its own name belongs to, where the lists tell
    skipped: list[Skipped]
    scores: list[CopyScore]
    figures: FairnessFigures
    jobs: int = 1

    def as_dict(self) -> dict:
        return asdict(self)


def copies_of(subject: str, text: str, lang: str, groups: Sequence[str], per_group: int,
              markers: Markers | None = None) -> list[ProbeCopy]:
    """The control copy, then ``per_group`` copies of each group (the same i-th surname in every group)."""
    markers = markers or load_markers()
    found = find_name(text, markers)
    control_name = " ".join(found.tokens) if found else (markers.control.get(lang) or markers.control["en"]).full
    out = [ProbeCopy(subject, CONTROL, control_name, make_copy(text, None, markers, lang))]
    for g in groups:
        people: tuple[Person, ...] = markers.names(lang, g, per_group)
        out += [ProbeCopy(subject, g, p.full, make_copy(text, p, markers, lang)) for p in people]
    return out


def _check(config: ProbeConfig, markers: Markers) -> tuple[str, ...]:
    groups = config.groups or markers.groups
    unknown = [g for g in groups if g not in markers.groups]
    if unknown:
        raise FairnessError(key="fair_err_group", group=", ".join(unknown), groups=", ".join(markers.groups))
    most = min(len(v) for v in markers.people.values())
    if not 1 <= config.names_per_group <= most:
        raise FairnessError(key="fair_err_names", n=config.names_per_group, most=most, names=Count("names_per_group_n", most))
    return tuple(groups)


def run_probe(job_text: str, resumes: Sequence[ScreenInput], config: ProbeConfig | None = None,
              progress: Progress | None = None) -> FairnessReport:
    """Screen every resume's copies against the job with ``config.profile`` and compute the figures."""
    config = config or ProbeConfig()
    check_text("job", job_text)  # core.bounds: refused before any copy is made
    markers = load_markers()
    groups = _check(config, markers)
    if not resumes:
        raise FairnessError(key="err_no_resumes")
    lang = progress_lang(progress)
    copies: list[ProbeCopy] = []
    skipped: list[Skipped] = []
    names: list[str] = []
    original_groups: dict[str, str | None] = {}
    for n, item in enumerate(resumes):
        report(progress, 0.05 * n / len(resumes),
               msg("prog_reading", lang, n=n + 1, total=len(resumes), name=item.filename))
        try:
            doc = parse_bytes(item.data, item.filename)
        except DocumentError as exc:
            skipped.append(Skipped(item.filename, exc.text(lang)))
            continue
        subject = item.filename if item.filename not in names else f"{item.filename} ({n + 1})"
        names.append(subject)
        original_groups[subject] = group_of(find_name(doc.text, markers), markers)
        copies += copies_of(subject, doc.text, doc.language, groups, config.names_per_group, markers)
    if not copies:
        raise FairnessError(key="fair_err_unreadable", n=len(skipped))
    inputs = [ScreenInput(f"{SUBJECT} - {c.subject} - {c.group} - {c.person}.txt", c.text.encode("utf-8"),
                          source=f"{SUBJECT}:{i}") for i, c in enumerate(copies)]
    report(progress, 0.05, msg("fair_prog_copies", lang, copies=len(copies), resumes=len(names)))
    rows = screen(job_text, inputs, ScreenOptions(profile=config.profile, run_id=new_run_id("fairness"),
                                                   keep_records=False, run_kind="fairness"),
                  part_of(progress, 0.05, 0.95, msg("fair_prog_label", lang)))
    by_source = {r.path: r for r in rows}
    scores = []
    profile = config.profile or ""
    for i, c in enumerate(copies):
        row = by_source.get(f"{SUBJECT}:{i}")
        rep = row.report if row is not None and row.ok else None
        if rep is not None:
            profile = rep.provenance.model_profile
        scores.append(CopyScore(c.subject, c.group, c.person, rep.match_score if rep else None,
                                (rep.recommendation == "advance") if rep else None,
                                None if rep else (row.error if row else "not screened")))
    return FairnessReport(profile=profile, config=config, groups=groups, resumes=names, original_groups=original_groups,
                          skipped=skipped, scores=scores, figures=summarize(scores, groups))


def combine(reports: Sequence[FairnessReport], label: Sequence[str]) -> FairnessReport:
    """Several jobs' probes as one report: each (job, resume) is one subject of the figures."""
    if not reports:
        raise ValueError("no reports to combine")
    scores = [CopyScore(f"{job} / {s.subject}", s.group, s.name, s.score, s.advanced, s.error)
              for job, r in zip(label, reports) for s in r.scores]
    first = reports[0]
    return FairnessReport(profile=first.profile, config=first.config, groups=first.groups, resumes=first.resumes,
                          original_groups=first.original_groups, skipped=[s for r in reports for s in r.skipped],
                          scores=scores, figures=summarize(scores, first.groups), jobs=len(reports))
