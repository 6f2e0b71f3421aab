"""Language detection, deterministic."""

from __future__ import annotations


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's main language, or "unknown" when there is too little text."""
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "unknown"
    try:
        return detect(sample)
    except LangDetectException:
        return "unknown"
