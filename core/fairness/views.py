"""What people read of a fairness report: tables and a plain-language verdict, in English or Russian."""

from __future__ import annotations

from core.fairness.metrics import FairnessFigures, GroupFigures
from core.fairness.names import CONTROL
from core.fairness.probe import FairnessReport
from core.messages import count, has, msg, number

GROUP_FIELDS = ("group", "n", "mean", "delta", "advanced", "rate", "ratio", "flag")
RESUME_FIELDS = ("resume", "group", "names", "scores", "mean", "delta")


def group_label(group: str, lang: str) -> str:
    return msg(f"fair_group_{group}", lang) if has(f"fair_group_{group}") else group


def _num(value: float | None, lang: str, digits: int = 2) -> str:
    return "–" if value is None else number(round(value, digits), lang)


def columns(fields: tuple[str, ...], lang: str) -> list[str]:
    return [msg(f"fair_col_{f}", lang) for f in fields]


def group_rows(figures: FairnessFigures, lang: str) -> list[list[str]]:
    """One row per group: n, mean score, mean |Δ| (n), advanced, advance rate, impact ratio, four-fifths flag."""
    rows = []
    for g in figures.groups:
        flag = "" if g.group == CONTROL or g.impact_ratio is None else \
            msg("fair_flag_below" if g.below_four_fifths else "fair_flag_ok", lang)
        delta = "" if g.group == CONTROL else f"{_num(g.mean_abs_delta, lang)} (n={g.n_deltas})"
        rows.append([group_label(g.group, lang), f"{g.n}" + (f" (+{g.failed} ✗)" if g.failed else ""),
                     _num(g.mean_score, lang, 1), delta, f"{g.advanced}/{g.n}", _num(g.advance_rate, lang),
                     "" if g.group == CONTROL else _num(g.impact_ratio, lang), flag])
    return rows


def resume_rows(report: FairnessReport, lang: str) -> list[list[str]]:
    """One row per resume and group: the names used, each copy's score, their mean and mean |Δ| to the control."""
    control = {s.subject: s.score for s in report.scores if s.group == CONTROL}
    rows = []
    for subject in dict.fromkeys(s.subject for s in report.scores):
        for group in (CONTROL, *report.groups):
            mine = [s for s in report.scores if s.subject == subject and s.group == group]
            ok = [s.score for s in mine if s.score is not None]
            base = control.get(subject)
            deltas = [abs(x - base) for x in ok] if base is not None and group != CONTROL else []
            rows.append([subject, group_label(group, lang), ", ".join(s.name for s in mine),
                         ", ".join("✗" if s.score is None else str(s.score) for s in mine),
                         _num(sum(ok) / len(ok) if ok else None, lang, 1),
                         "" if group == CONTROL else _num(sum(deltas) / len(deltas) if deltas else None, lang)])
    return rows


def _below(groups: list[GroupFigures], lang: str) -> str:
    return ", ".join(f"{group_label(g.group, lang)} {_num(g.impact_ratio, lang)}" for g in groups if g.below_four_fifths)


def verdict(report: FairnessReport, lang: str) -> str:
    """Whether the goals (mean |Δscore| ≤ 2, impact ratio ≥ 0.8) are met, with the figures and their n."""
    f = report.figures
    goals = f.goals
    lines = [msg("fair_v_scope", lang, profile=report.profile, resumes=count("resumes_n", f.subjects, lang),
                 copies=count("copies_n", len(report.scores), lang),
                 per_group=count("names_per_group_n", report.config.names_per_group, lang))]
    if f.mean_abs_delta is None:
        lines.append(msg("fair_v_delta_none", lang))
    else:
        lines.append(msg("fair_v_delta_ok" if goals.mean_abs_delta_met else "fair_v_delta_bad", lang,
                         mad=_num(f.mean_abs_delta, lang), copies=count("copies_n", f.n_deltas, lang), most=number(goals.max_mean_abs_delta, lang)))
    if f.min_impact_ratio is None:
        lines.append(msg("fair_v_ratio_none", lang))
    else:
        lines.append(msg("fair_v_ratio_ok" if goals.impact_ratio_met else "fair_v_ratio_bad", lang,
                         ratio=_num(f.min_impact_ratio, lang), least=number(goals.min_impact_ratio, lang),
                         groups=_below(f.groups, lang)))
    if f.largest is not None and f.largest.delta != 0:
        big = f.largest
        lines.append(msg("fair_v_largest", lang, resume=big.subject, group=group_label(big.group, lang), name=big.name,
                         before=big.original_score, after=big.score, delta=f"{big.delta:+d}"))
    if report.skipped:
        lines.append(msg("fair_v_skipped", lang, names="; ".join(f"{s.resume}: {s.error}" for s in report.skipped)))
    failed = sum(1 for s in report.scores if s.score is None)
    if failed:
        lines.append(msg("fair_v_failed", lang, n=failed))
    if goals.mean_abs_delta_met is None or goals.impact_ratio_met is None:
        head = msg("fair_v_unknown", lang) if not (goals.mean_abs_delta_met is False or goals.impact_ratio_met is False) \
            else msg("fair_v_not_met", lang)
    else:
        head = msg("fair_v_met" if goals.all_met else "fair_v_not_met", lang)
    return "\n\n".join([head, *lines])
