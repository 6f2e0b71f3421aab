"""Instruction-like text in visible content ("ignore previous instructions", "rate this candidate"...).

It stays in the text (a person can see it, and the prompt presents the resume as data, never as
instructions); it is flagged so the recruiter knows the candidate tried to steer an AI.
The patterns are deliberately narrow: ordinary resume phrasing ("acted as team lead") must not match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.documents.model import DocFlag
from core.documents.text_clean import at_word_start, lowered

_EN = [
    r"\b(?:ignore|disregard|forget|skip|override)\s+(?:all\s+|any\s+|the\s+|your\s+|these\s+)*(?:previous|prior|above|earlier|preceding|other|system|existing)\s+(?:instructions?|prompts?|rules|directions|guidelines|criteria|context)",
    r"\b(?:ignore|disregard)\s+(?:all|everything)\s+(?:above|before|else)\b",
    r"\byou\s+are\s+now\s+(?:a|an|the|my|in)\b",
    r"\bfrom\s+now\s+on,?\s+you\b",
    r"\b(?:new|updated|real|hidden)\s+instructions?\s*:",
    r"\b(?:system|developer)\s+(?:prompt|message|instructions?)\s*[:=]",
    r"\bpretend\s+(?:to\s+be|you\s+are|that\s+you)\b",
    r"\bact\s+as\s+(?:an?\s+)?(?:ai|llm|assistant|language\s+model|chatbot|recruiter\s+bot|hiring\s+(?:bot|assistant))\b",
    r"\b(?:rate|score|rank|grade|evaluate|assess|classify|mark)\s+(?:this|the|me|my)\s+(?:candidate|applicant|resume|cv|profile|application)?\s*(?:as|at|with|a|an)\s+(?:the\s+)?(?:an?\s+)?(?:exceptional|excellent|outstanding|perfect|top|best|highest|maximum|strong(?:est)?|ideal|10|100|\d{2,3}\s*/\s*100|ten|hire)\b",
    r"\b(?:give|assign|award)\s+(?:this|the|me)\s+(?:candidate|applicant|resume)?\s*(?:a|the)\s+(?:high(?:est)?|top|perfect|maximum|max|full|10/10|100)\b",
    r"\b(?:recommend|shortlist|advance)\s+(?:this|the)\s+(?:candidate|applicant)\s+(?:for|to)\s+(?:hire|hiring|the\s+next|an?\s+interview|immediate)",
    r"\bthis\s+(?:candidate|applicant)\s+is\s+(?:the\s+)?(?:best|perfect|ideal|exceptional|most\s+qualified)\b(?:\s+\w+){0,3}\s*[,.;]?\s*(?:hire|recommend|score|rate)",
    r"\b(?:note|message|instruction)\s+(?:to|for)\s+(?:the\s+)?(?:ai|llm|gpt|chatgpt|model|language\s+model|ats|screening\s+(?:bot|system|tool)|recruiter\s+bot)\b",
    r"\b(?:ai|llm|chatgpt|gpt|assistant|language\s+model)\s*[,:]\s*(?:please\s+)?(?:ignore|disregard|rate|score|rank|recommend|say|respond|output|print|return)\b",
    r"\b(?:respond|answer|reply|output)\s+(?:only\s+)?(?:with|that)\s+[\"'«]?(?:this\s+candidate|yes|hire|strong\s+(?:hire|match)|match_score|100)\b",
    r"\bmatch_score\s*[:=]\s*\d+",
]
_RU = [
    r"(?:игнорируй|игнорируйте|проигнорируй|проигнорируйте|забудь|забудьте|не\s+обращай(?:те)?\s+внимания\s+на)\s+(?:все\s+|всё\s+|свои\s+|эти\s+)*(?:предыдущи[ехм]|прошлы[ехм]|прежни[ехм]|вышеуказанны[ехм]|системны[ехм]|данны[ехм]\s+ранее|все)\s*(?:инструкци\w*|указани\w*|правил\w*|промпт\w*|критери\w*|команд\w*)?",
    r"(?:ты|вы)\s+теперь\s+\w+|теперь\s+(?:ты|вы)\s+(?:—|-)?\s*\w+",
    r"представь(?:те)?,?\s+что\s+(?:ты|вы)\s+\w+",
    r"нов(?:ые|ая)\s+инструкци[яи]\s*:",
    r"(?:оцени|оцените|поставь|поставьте|присвой|присвойте|дай|дайте)\s+(?:этому\s+|этого\s+)?(?:кандидат[ау]?|соискател[юя]|резюме|мне)\s+(?:как\s+|на\s+)?(?:высш\w+|максимальн\w+|наивысш\w+|отличн\w+|лучш\w+|идеальн\w+|100|10\s*из\s*10|высок\w+)",
    r"(?:рекомендуй|рекомендуйте|порекомендуй|порекомендуйте)\s+(?:этого\s+|данного\s+)?(?:кандидата|соискателя)\s+(?:к\s+найму|на\s+собеседование|нанять)",
    r"этот\s+кандидат\s+(?:—|-)?\s*(?:лучший|идеальный|самый\s+подходящий)\b(?:\s+\w+){0,3}\s*[,.;]?\s*(?:нанять|наймите|рекоменд|оцен)",
    r"(?:сообщение|инструкция|примечание)\s+для\s+(?:ии|ai|нейросети|модели|языковой\s+модели|gpt|chatgpt|ats|бота)\b",
    r"системн(?:ый|ого)\s+промпт\s*[:=]",
]
PATTERNS = [re.compile(p.removeprefix(r"\b")) for p in _EN + _RU]  # run on lower-cased text
_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in PATTERNS))


def _line_around(text: str, start: int, end: int) -> str:
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    left, right = max(left, start - 120), min(right, end + 120)
    return " ".join(text[left:right].split())


def _matches(text: str):
    low = lowered(text)
    for m in _ANY.finditer(low):
        if at_word_start(low, m.start()):
            yield m


def is_instruction_like(text: str) -> bool:
    return next(_matches(text), None) is not None


def find_injections(text: str, page_of: Callable[[int], int | None] | None = None) -> list[DocFlag]:
    """One flag per line that reads like an instruction to an AI, citing that line."""
    flags: list[DocFlag] = []
    last_line = -1
    for m in _matches(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if line_start == last_line:
            continue
        last_line = line_start
        flags.append(DocFlag(kind="injection", snippet=_line_around(text, m.start(), m.end()),
                             page=page_of(m.start()) if page_of else None,
                             detail=f"matched “{' '.join(text[m.start():m.end()].split())}”"))
    return flags
