"""Contacts and profile links: email, phone, GitHub, GitLab, LinkedIn, hh.ru, Telegram and the like."""

from __future__ import annotations

import re

from core.facts.model import Contacts, Link, LinkKind
from core.facts.patterns import EMAIL, PHONE

# (kind, a substring that must be present, pattern): the substring test skips the scan on most resumes.
_HOSTS: list[tuple[LinkKind, str, str]] = [
    ("github", "github.com", r"github\.com/[A-Za-z0-9][\w.\-]*(?:/[\w.\-]+)?"),
    ("gitlab", "gitlab.com", r"gitlab\.com/[A-Za-z0-9][\w.\-/]*"),
    ("linkedin", "linkedin.com", r"(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub|profile)/[\w\-%.]+"),
    ("hh", "hh.ru", r"(?:[\w\-]+\.)?hh\.ru/(?:resume|applicant)/[\w\-?=&]+"),
    ("telegram", ".me/", r"(?:t\.me|telegram\.me)/[A-Za-z0-9_]{4,}"),
    ("huggingface", "huggingface.co", r"huggingface\.co/[\w.\-/]+"),
    ("kaggle", "kaggle.com", r"kaggle\.com/[\w.\-/]+"),
    ("bitbucket", "bitbucket.org", r"bitbucket\.org/[\w.\-/]+"),
    ("stackoverflow", "stackoverflow.com", r"stackoverflow\.com/(?:users|u)/[\w\-/]+"),
]
# A PDF often wraps a long link right after the host's slash ("github.com/" at a line end): allow that break.
_WRAP = r"/(?:\r?\n[ \t]*)?"
LINKS = [(kind, needle, re.compile(r"(?<![\w@.])(?:https?://)?(?:www\.)?" + rx.replace("/", _WRAP, 1), re.IGNORECASE))
         for kind, needle, rx in _HOSTS]
WEBSITE = re.compile(r"(?<![\w@./])(?:https?://|www\.)[\w\-]+(?:\.[\w\-]+)+(?:/[\w\-./?%&=#]*)?", re.IGNORECASE)
TELEGRAM_HANDLE = re.compile(r"(?:telegram|телеграм\w*|tg)\s*[:\-]?\s*(@[A-Za-z0-9_]{4,32})\b", re.IGNORECASE)
_YEARS_ONLY = re.compile(r"^(?:(?:19|20)\d{2}[\s.\-]*)+$")


def _digits(s: str) -> int:
    return sum(ch.isdigit() for ch in s)


def find_phones(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in PHONE.finditer(text):
        raw = m.group(0).strip()
        if 10 <= _digits(raw) <= 15 and not _YEARS_ONLY.match(raw):
            out.append((raw, m.start(), m.end()))
    return out


def find_links(text: str) -> list[tuple[Link, int, int]]:
    out: list[tuple[Link, int, int]] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    for kind, needle, rx in LINKS:
        if needle not in low:
            continue
        for m in rx.finditer(text):
            span = m.group(0).rstrip(".,;)")
            url = re.sub(r"\s+", "", span)
            out.append((Link(kind=kind, url=url), m.start(), m.start() + len(span)))
            taken.append((m.start(), m.end()))
    for m in WEBSITE.finditer(text) if ("http" in low or "www." in low) else ():
        if any(s <= m.start() < e for s, e in taken):
            continue
        url = m.group(0).rstrip(".,;)")
        out.append((Link(kind="website", url=url), m.start(), m.start() + len(url)))
    out.sort(key=lambda t: t[1])
    return out


def extract_contacts(text: str) -> tuple[Contacts, list[Link]]:
    emails = list(dict.fromkeys(m.group(0) for m in EMAIL.finditer(text)))
    phones = list(dict.fromkeys(p for p, _, _ in find_phones(text)))
    telegram = list(dict.fromkeys(m.group(1) for m in TELEGRAM_HANDLE.finditer(text))) if "@" in text else []
    links: list[Link] = []
    seen: set[str] = set()
    for link, _, _ in find_links(text):
        key = link.url.lower().split("://")[-1].removeprefix("www.")
        if key not in seen:
            seen.add(key)
            links.append(link)
    return Contacts(emails=emails, phones=phones, telegram=telegram), links
