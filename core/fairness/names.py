"""The team's name lists and gender markers (assets/fairness/names.yaml) as typed data, read once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from core.config import ASSETS

NAMES_FILE = ASSETS / "fairness" / "names.yaml"
CONTROL = "original"  # the group of each resume's control copy (its own name, or a unisex one when none is found)


@dataclass(frozen=True)
class Person:
    """A name to write into a copy: ``latin_*`` is how it is spelled in e-mail addresses and links."""

    given: str
    surname: str
    latin_given: str
    latin_surname: str
    group: str
    lang: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.surname}"


@dataclass(frozen=True)
class Markers:
    groups: tuple[str, ...]
    people: dict[tuple[str, str], tuple[Person, ...]]  # (language, group) -> names in list order
    control: dict[str, Person]  # language -> the unisex control name
    words: tuple[tuple[str, str], ...]  # [male, female] whole words
    verbs_irregular: tuple[tuple[str, str], ...]  # [male, female] endings of irregular Russian past tenses
    verb_prefixes: tuple[str, ...]
    not_verbs: frozenset[str]
    given_names: dict[str, str]  # every listed given name (lower case) -> its group
    latin: dict[str, str]  # every listed Cyrillic name (lower case) -> its Latin spelling (lower case)

    def names(self, lang: str, group: str, n: int) -> tuple[Person, ...]:
        """The first ``n`` names of ``group`` for a resume in ``lang`` (English lists for any other language)."""
        people = self.people.get((lang, group)) or self.people.get(("en", group))
        if not people:
            raise ValueError(f"no names for group {group!r} in {NAMES_FILE}; groups listed: {', '.join(self.groups)}")
        return people[:max(0, n)]


@lru_cache(maxsize=4)
def load_markers(path: Path = NAMES_FILE) -> Markers:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = tuple(raw["groups"])
    people: dict[tuple[str, str], tuple[Person, ...]] = {}
    given_names: dict[str, str] = {}
    latin: dict[str, str] = {}
    en_surnames = raw["en"]["surnames"]
    for group in groups:
        names = raw["en"]["given"][group]
        people[("en", group)] = tuple(Person(g, s, g, s, group, "en") for g, s in zip(names, en_surnames))
        given_names.update({g.lower(): group for g in names})
    ru_surnames = raw["ru"]["surnames"]
    for gi, group in enumerate(groups):
        made = []
        for (given, given_latin), forms in zip(raw["ru"]["given"][group], ru_surnames):
            made.append(Person(given, forms[gi], given_latin, forms[2 + gi], group, "ru"))
            given_names[given.lower()] = group
            given_names.setdefault(given_latin.lower(), group)  # "Anna", "Dmitry" in an English resume
            latin[given.lower()] = given_latin.lower()
        people[("ru", group)] = tuple(made)
    for forms in ru_surnames:
        for gi in range(len(groups)):
            latin[forms[gi].lower()] = forms[2 + gi].lower()
    control = {}
    for lang, c in raw["control"].items():
        control[lang] = Person(c["given"], c["surname"], c.get("latin_given", c["given"]),
                               c.get("latin_surname", c["surname"]), CONTROL, lang)
        latin[c["given"].lower()] = control[lang].latin_given.lower()
        latin[c["surname"].lower()] = control[lang].latin_surname.lower()
    return Markers(groups=groups, people=people, control=control,
                   words=tuple((m, f) for m, f in raw["words"]),
                   verbs_irregular=tuple((m, f) for m, f in raw["ru_verbs_irregular"]),
                   verb_prefixes=tuple(sorted(raw["ru_verb_prefixes"], key=len, reverse=True)),
                   not_verbs=frozenset(w.lower() for w in raw["ru_not_verbs"]),
                   given_names=given_names, latin=latin)
