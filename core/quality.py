"""How far a profile's results can be trusted, in words: the warning shown next to every profile picker.

A profile is weak when its ``quality`` block in the profile file says so (assets/models.yaml); the warning
quotes the measured agreement with human grades and the benchmark file it comes from, and names the
best-measured profile that is not weak. A blend (``offline+rules``) or a set of profiles (models and a
judge) is warned about when any part of it is weak.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.messages import msg, number
from core.models import ModelProfile, ProfileError, load_profiles


def _names(spec: str | Iterable[str | None] | None) -> list[str]:
    items = [spec] if isinstance(spec, str) or spec is None else list(spec)
    return [part.strip() for item in items if item for part in item.split("+") if part.strip()]


def weak_profiles(spec: str | Iterable[str | None] | None) -> list[ModelProfile]:
    """The weak profiles among ``spec`` (a name, a blend ``a+b``, or several); unknown names are skipped
    (the run itself says they are unknown)."""
    try:
        default, profiles = load_profiles()
    except ProfileError:
        return []
    names = _names(spec) or [default]
    found = [profiles[n] for n in dict.fromkeys(names) if n in profiles]
    return [p for p in found if p.quality is not None and p.quality.weak]


def _better(profiles: dict[str, ModelProfile], lang: str) -> str:
    measured = [(p.quality.pearson, p.name) for p in profiles.values()
                if p.quality and not p.quality.weak and p.quality.pearson is not None]
    if not measured:
        return ""
    pearson, name = max(measured, key=lambda m: m[0])
    return msg("weak_profile_better", lang, profile=name, pearson=number(pearson, lang))


def quality_notice(spec: str | Iterable[str | None] | None, lang: str = "en") -> str | None:
    """The warning for ``spec`` in ``lang``, or None when no chosen profile is weak."""
    weak = weak_profiles(spec)
    if not weak:
        return None
    _, profiles = load_profiles()
    better = _better(profiles, lang)
    lines = []
    for p in weak:
        q = p.quality
        assert q is not None
        if q.pearson is None:
            lines.append(msg("weak_profile_unmeasured", lang, profile=p.name, better=better))
            continue
        measured_for = (msg("weak_profile_measured_for", lang, profile=q.measured_for)
                        if q.measured_for and q.measured_for != p.name else "")
        where = ", ".join(x for x in (msg("answers_n", lang, n=q.answers) if q.answers else "", q.source) if x)
        lines.append(msg("weak_profile", lang, profile=p.name, pearson=number(q.pearson, lang),
                         where=where or "?", measured_for=measured_for, better=better))
    return "\n".join(lines)
