"""The bundled samples, one place for their paths: the sample job, the sample resumes (Screen tab, demo
mode, fairness probe) and the one resume the Questions tab's sample uses."""

from __future__ import annotations

from pathlib import Path

from core.config import ASSETS

SAMPLES = ASSETS / "samples"
SAMPLE_JOB = SAMPLES / "jobs" / "llm_engineer_en.txt"
SAMPLE_RESUMES = SAMPLES / "resumes"
SAMPLE_RESUME = SAMPLE_RESUMES / "anna_smirnova_ml_engineer.pdf"
RESUME_SUFFIXES = (".pdf", ".docx", ".txt")


def sample_resumes() -> list[Path]:
    """The sample resumes, by name."""
    return sorted(p for p in SAMPLE_RESUMES.iterdir() if p.suffix.lower() in RESUME_SUFFIXES)


def sample_job() -> str:
    """The sample job description's text."""
    return SAMPLE_JOB.read_text(encoding="utf-8")
