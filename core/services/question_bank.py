"""The team's question bank (``assets/question_bank``): questions with reference answers, EN and RU.

Used to prefill the grading form, to find a reference answer for a known question, and as the source
of deterministic interview questions.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from core.config import ASSETS
from core.messages import LocalizedError
from core.schemas.common import normalize_for_match

BANK_DIR = ASSETS / "question_bank"
Lang = Literal["en", "ru"]
BankKind = Literal["framework", "database", "system_design", "concept", "behavioural", "open_ended"]


class BankError(LocalizedError):
    pass


class Localized(BaseModel):
    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


class BankQuestion(BaseModel):
    id: str
    kind: BankKind
    topic: Localized
    skills: list[str] = Field(default_factory=list)
    question: Localized
    reference: Localized
    anchored: Localized | None = Field(default=None, description="The question tied to a resume quote ({quote})")
    source: str = ""  # set id / block id, or role id; filled by the loader


class BankBlock(BaseModel):
    id: str
    title: Localized
    questions: list[BankQuestion]


class BankSet(BaseModel):
    id: str
    title: Localized
    blocks: list[BankBlock]


class RoleNote(BaseModel):
    id: str
    title: Localized
    note: Localized
    uses: list[str] = Field(default_factory=list)
    questions: list[BankQuestion] = Field(default_factory=list)


class QuestionBank(BaseModel):
    sets: list[BankSet]
    roles: list[RoleNote]

    def questions(self) -> list[BankQuestion]:
        out = [q for s in self.sets for b in s.blocks for q in b.questions]
        return out + [q for r in self.roles for q in r.questions]

    def get(self, qid: str) -> BankQuestion:
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(f"no question {qid!r} in the question bank")

    def match(self, question_text: str) -> tuple[BankQuestion, Lang] | None:
        """The bank question with exactly this wording (any language, case and spacing ignored)."""
        wanted = normalize_for_match(question_text)
        for q in self.questions():
            for lang in ("en", "ru"):
                if normalize_for_match(q.question.get(lang)) == wanted:
                    return q, lang
        return None

    def choices(self, lang: str = "en") -> list[tuple[str, str]]:
        """(label, id) pairs for a picker, grouped by set and block."""
        out = []
        for s in self.sets:
            for b in s.blocks:
                for q in b.questions:
                    out.append((f"{s.title.get(lang)} · {b.title.get(lang)} · {q.question.get(lang)}", q.id))
        for r in self.roles:
            for q in r.questions:
                out.append((f"{r.title.get(lang)} · {q.question.get(lang)}", q.id))
        return out


def _read(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise BankError(f"{path.name} is not valid YAML: {exc}") from exc


@lru_cache(maxsize=4)
def load_bank(folder: Path = BANK_DIR) -> QuestionBank:
    """Every set in ``folder`` plus ``roles.yaml``; raises BankError naming the file and the problem."""
    sets: list[BankSet] = []
    roles: list[RoleNote] = []
    for path in sorted(folder.glob("*.yaml")):
        data = _read(path)
        try:
            if path.stem == "roles":
                roles = [RoleNote.model_validate(r) for r in data.get("roles", [])]
                for r in roles:
                    for q in r.questions:
                        q.source = r.id
            else:
                bank_set = BankSet.model_validate(data)
                for b in bank_set.blocks:
                    for q in b.questions:
                        q.source = f"{bank_set.id}/{b.id}"
                sets.append(bank_set)
        except ValidationError as exc:
            raise BankError(f"{path.name} does not match the question bank layout: {exc}") from exc
    bank = QuestionBank(sets=sets, roles=roles)
    ids = [q.id for q in bank.questions()]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise BankError(f"question ids used twice in {folder}: {', '.join(dupes)}")
    for r in roles:
        missing = [u for u in r.uses if u not in ids]
        if missing:
            raise BankError(f"role {r.id!r} in roles.yaml uses unknown questions: {', '.join(missing)}")
    return bank
