"""The output contract: quotes checked against the resume, JSON parsed strictly, failures explained."""

import pytest

from core.engines.structured import OutputError, parse_object
from core.schemas import FitAssessment, FitReport, Provenance, quote_in_text, normalize_for_match

RESUME = "Ivan PETROV\nSenior  Python developer.\nBuilt payment APIs with   FastAPI — 2k RPS.\n«Лучший сотрудник» 2021"


def _assessment(**over):
    data = dict(summary="Strong backend engineer.", skills_matched=[{"skill": "FastAPI", "quote": "built payment APIs with FastAPI"}],
                skills_missing=["Kafka"], experience_years=6, experience_evaluation="Six years of backend work.",
                green_flags=[{"flag": "High load", "quote": "2k RPS"}],
                red_flags=[{"flag": "Invented", "quote": "led a team of 50 engineers"}], match_score=77, recommendation="advance")
    data.update(over)
    return FitAssessment.model_validate(data)


def _prov():
    return Provenance(model_profile="offline", engine="transformers", prompt_version="fit-v1", input_hash="x", seconds=1.0)


def test_quotes_are_checked_case_and_whitespace_insensitively():
    report = FitReport.from_assessment(_assessment(), RESUME, "ivan.pdf", _prov())
    assert report.skills_matched[0].verified is True
    assert report.green_flags[0].verified is True
    assert report.red_flags[0].verified is False
    assert report.unverified_quotes == 1


def test_typographic_quotes_and_russian_text_match():
    norm = normalize_for_match(RESUME)
    assert quote_in_text('"лучший сотрудник" 2021', norm)
    assert not quote_in_text("", norm)
    assert not quote_in_text("ab", norm)  # too short to prove anything


def test_parse_object_accepts_fenced_json_and_rejects_bad_values():
    good = _assessment().model_dump_json()
    assert parse_object(f"Here you go:\n```json\n{good}\n```", FitAssessment).match_score == 77
    with pytest.raises(OutputError, match="match_score"):
        parse_object(good.replace('"match_score":77', '"match_score":140'), FitAssessment)
    with pytest.raises(OutputError, match="cut off"):
        parse_object(good[:40], FitAssessment)
    with pytest.raises(OutputError, match="no JSON object"):
        parse_object("I think this candidate is great.", FitAssessment)


def test_scores_out_of_range_are_rejected_not_clamped():
    with pytest.raises(ValueError):
        _assessment(match_score=-1)
    with pytest.raises(ValueError):
        _assessment(recommendation="hire")
