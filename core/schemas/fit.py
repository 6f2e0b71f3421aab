"""Resume-vs-job fit: what the model writes (FitAssessment) and what we keep (FitReport)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from core.schemas.bands import Recommendation, band_follows_score, recommendation_for
from core.schemas.common import NumberOnly, Provenance, Score0to100, normalize_for_match, quote_in_text


class SkillEvidence(BaseModel):
    skill: str = Field(min_length=1, max_length=40, description="Skill required by the job")
    quote: str = Field(min_length=1, max_length=120, description="Exact words from the resume that show it")


class FlagEvidence(BaseModel):
    flag: str = Field(min_length=1, max_length=160, description="What stands out, in plain words")
    quote: str = Field(min_length=1, max_length=120, description="Exact words from the resume")


class FitAssessment(BaseModel):
    """The model's output contract for screening. Bounded so that a small model always finishes."""

    summary: str = Field(min_length=1, max_length=300)
    skills_matched: list[SkillEvidence] = Field(default_factory=list, max_length=6)
    skills_missing: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=6)
    experience_years: Annotated[float, Field(ge=0, le=60), NumberOnly] | None = None
    experience_evaluation: str = Field(min_length=1, max_length=200)
    green_flags: list[FlagEvidence] = Field(default_factory=list, max_length=3)
    red_flags: list[FlagEvidence] = Field(default_factory=list, max_length=3)
    match_score: Score0to100
    recommendation: Recommendation


class CheckedSkill(SkillEvidence):
    verified: bool


class CheckedFlag(FlagEvidence):
    verified: bool


class FitReport(BaseModel):
    """A stored, displayed fit report: the assessment with every quote checked against the resume.

    ``recommendation`` is always the band of ``match_score`` (core.schemas.bands). A recommendation
    given that disagrees with the score is the model's own (or an older stored report's): it is kept as
    ``model_recommendation`` and the banded one takes its place; an explicit ``model_recommendation``
    beside a contradicting ``recommendation`` is an error.
    """

    candidate: str
    match_score: Score0to100
    recommendation: Recommendation
    summary: str
    skills_matched: list[CheckedSkill]
    skills_missing: list[str]
    experience_years: float | None
    experience_evaluation: str
    green_flags: list[CheckedFlag]
    red_flags: list[CheckedFlag]
    unverified_quotes: int = Field(ge=0)
    provenance: Provenance
    model_recommendation: Recommendation | None = None  # what the model itself wrote; shown only when it disagrees

    @model_validator(mode="after")
    def _recommendation_follows_score(self) -> "FitReport":
        band_follows_score(self, "recommendation", "model_recommendation", recommendation_for(self.match_score),
                           f"match_score {self.match_score}")
        return self

    @property
    def model_disagrees(self) -> bool:
        """True when the model's own recommendation differs from the banded one (then show "model said …")."""
        return self.model_recommendation is not None and self.model_recommendation != self.recommendation

    @classmethod
    def from_assessment(
        cls, assessment: FitAssessment, resume_text: str, candidate: str, provenance: Provenance,
        asked: Sequence[str] = (), found: Mapping[str, str] | None = None,
    ) -> "FitReport":
        """The assessment with its quotes checked against ``resume_text``. ``asked`` (every skill the job names)
        and ``found`` (skill -> resume quote, from the resume's facts) complete the skills: the model's output
        is bounded, the report lists every skill of the job as matched or missing, and a skill the facts
        found in the resume is never listed as missing."""
        norm = normalize_for_match(resume_text)
        skills = [CheckedSkill(**s.model_dump(), verified=quote_in_text(s.quote, norm)) for s in assessment.skills_matched]
        missing = list(assessment.skills_missing)
        if asked:
            skills, missing = _complete_skills(skills, missing, asked, found or {}, norm)
        green = [CheckedFlag(**f.model_dump(), verified=quote_in_text(f.quote, norm)) for f in assessment.green_flags]
        red = [CheckedFlag(**f.model_dump(), verified=quote_in_text(f.quote, norm)) for f in assessment.red_flags]
        unverified = sum(not e.verified for e in skills) + sum(not e.verified for e in (*green, *red))
        return cls(
            candidate=candidate,
            match_score=assessment.match_score,
            recommendation=recommendation_for(assessment.match_score),
            model_recommendation=assessment.recommendation,
            summary=assessment.summary,
            skills_matched=skills,
            skills_missing=missing,
            experience_years=assessment.experience_years,
            experience_evaluation=assessment.experience_evaluation,
            green_flags=green,
            red_flags=red,
            unverified_quotes=unverified,
            provenance=provenance,
        )


def _complete_skills(skills: list[CheckedSkill], missing: list[str], asked: Sequence[str], found: Mapping[str, str],
                     norm: str) -> tuple[list[CheckedSkill], list[str]]:
    """The model's matched skills, then every other asked skill found in the resume (with its quote); missing:
    the model's missing skills the resume does not show, then every other asked skill it does not show."""
    max_quote = next(m.max_length for m in SkillEvidence.model_fields["quote"].metadata if hasattr(m, "max_length"))
    shown = {s.skill.casefold() for s in skills}
    for skill in asked:
        quote = found.get(skill, "").strip()
        if quote and skill.casefold() not in shown:
            quote = quote[:max_quote]
            skills.append(CheckedSkill(skill=skill, quote=quote, verified=quote_in_text(quote, norm)))
            shown.add(skill.casefold())
    known = {s.casefold() for s in found}
    out = [m for m in missing if m.casefold() not in shown and m.casefold() not in known]
    listed = {m.casefold() for m in out}
    out += [s for s in asked if s.casefold() not in shown and s.casefold() not in known and s.casefold() not in listed]
    return skills, out
