"""Who a resume is about: the person's name from the strongest evidence, and names compared across spellings.

Evidence, strongest first: a name-shaped line that the e-mail's local part or a profile handle spells
(``alfred.pennyworth@…``, ``apennyworth``, ``ivan.ivanov@…`` for «Иван Иванов»), a labelled "Name:" line,
document metadata (the author) when the caller has it, a name-shaped line next to the contacts, then the
first name-shaped line. A location ("Silicon Valley, CA, USA", "Gotham, USA"), a job title ("Product
Manager") or a template's placeholder ("YOUR NAME HERE") is never a name.

``same_name`` compares two names ignoring case, ё/е, word order, initials and transliteration (Иван Иванов,
Ivan Ivanov, I. Ivanov); ``handle_of`` tells whether a handle or an e-mail's local part spells the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.facts.translit import skeleton

# Words that make a line not a name: headings, job titles, template placeholders, places (casefolded).
_NOT_NAME = frozenset("""
resume résumé cv curriculum vitae summary profile objective about contact contacts experience education skills
address phone email e-mail mobile tel telephone references languages projects certifications awards publications
interests hobbies personal information info career technical core competencies last updated work
professional history employment qualifications achievements overview
engineer developer manager scientist analyst designer lead senior junior intern trainee principal staff chief
product project program software hardware stack full front end front-end back-end backend frontend fullstack
full-stack web mobile mern mean data machine learning ml ai devops qa sre tester accountant support desktop
president ceo cto cfo coo vp director consultant architect administrator admin specialist officer head student
teacher professor assistant coordinator technician programmer researcher recruiter executive representative
business woman man proud geek marketing sales finance operations security cloud network systems
your name here title position tagline template sample example lorem ipsum first surname
university college school institute academy company corporation inc llc ltd gmbh group
street st avenue ave road rd boulevard blvd suite apt floor
location country county city state remote hq headquarters valley area region district
usa us uk america germany russia canada france india china japan spain italy netherlands poland ukraine
kazakhstan belarus israel australia brazil turkey armenia serbia
резюме cv инженер разработчик программист менеджер аналитик дизайнер тестировщик администратор архитектор
опыт работы образование навыки контакты контактная информация себе ведущий старший младший стажер стажёр
руководитель специалист директор должность город адрес телефон почта цель проекты языки
веб данных данные продукт проект страна область край район россия рф москва санкт-петербург казань
новосибирск екатеринбург
""".split())
# Places of two or more words that look like a name (casefolded)
_PLACES = ("silicon valley", "mountain view", "san francisco", "new york", "los angeles", "bay area", "las vegas",
           "san jose", "san diego", "new jersey", "hong kong", "tel aviv", "buenos aires", "kuala lumpur", "new delhi",
           "palo alto", "santa clara", "salt lake", "saint petersburg", "st petersburg", "nizhny novgorod",
           "нижний новгород", "ростов-на-дону", "великий новгород", "набережные челны", "la verne", "google hq")
_STATE = re.compile(r",\s*(?:[A-Z]{2}|[A-Z][a-z]+|USA|UK|РФ)\b")  # "Austin, TX", "Gotham, USA", "Berlin, Germany"
_SPLIT = re.compile(r"\s{2,}|\t|\s*[|•·—–]\s*|\s+-\s+")
_LABEL = re.compile(r"^\s*(?:name|full\s+name|фио|ф\.\s?и\.\s?о\.|имя|меня\s+зовут|my\s+name\s+is)\s*[:\-–—]?\s+(.+)$",
                    re.IGNORECASE | re.MULTILINE)
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "di", "la", "le", "bin", "ibn"})
_HANDLE_SPLIT = re.compile(r"[._\-\d]+")
EMAIL_LOCAL = re.compile(r"([\w.+-]+)@")
TOP_LINES = 15


@dataclass(frozen=True)
class PersonName:
    words: tuple[str, ...]  # as written ("JOHN", "DOE"), initials without their dot
    source: str  # email | handle | label | metadata | contacts | top: the evidence it came from

    @property
    def text(self) -> str:
        """The name for people: words in capitals shown as "John Doe"."""
        return " ".join(w.capitalize() if w.isupper() and len(w) > 1 else w for w in self.words)


def _word_ok(w: str) -> bool:
    """A name word: capitalised (Anna, O'Neil, Smith-Jones, McDonald), all capitals (DOE), or an initial (A.)."""
    if re.fullmatch(r"[^\W\d_]\.", w):
        return w[0].isupper()
    for part in re.split(r"[-'’]", w):
        if not part or not part.isalpha() or not part[0].isupper():
            return False
        rest = part[1:]
        if not (rest.islower() or rest.isupper() or re.fullmatch(r"c[A-Z][a-z]+", rest) or not rest):
            return False
        if rest.isupper() and len(part) > 1 and not w.isupper():
            return False  # "HQ" in "Google HQ": mixed capitals are an abbreviation, not a name
    return len(w.strip(".")) >= 1


def name_words(segment: str) -> list[str] | None:
    """The words of a name-shaped piece of text (2 to 4 name words, nothing else), or None."""
    seg = segment.strip().strip(",;:")
    if not seg or seg.casefold() in _PLACES or any(p in seg.casefold() for p in _PLACES):
        return None
    words = seg.split()
    if not 2 <= len(words) <= 4:
        return None
    core = [w for w in words if w.lower() not in _PARTICLES]
    if len(core) < 2 or words[0].lower() in _PARTICLES:
        return None
    if not all(_word_ok(w) for w in core):
        return None
    if any(w.strip(".").casefold() in _NOT_NAME for w in words):
        return None
    if sum(len(w.strip(".")) > 1 for w in core) < 1:
        return None
    return [w.strip(".") for w in words]


def is_place(segment: str) -> bool:
    """A location: a known place, or "City, ST" / "City, Country" (the part before the comma is not a name)."""
    low = segment.casefold()
    return any(p in low for p in _PLACES) or bool(_STATE.search(segment))


def _segments(line: str) -> list[str]:
    out = []
    for seg in _SPLIT.split(line):
        seg = seg.strip()
        if not seg or is_place(seg):
            continue
        seg = re.split(r"\s(?=[\d(+@])", seg.split(",")[0])[0]  # "Alfred Pennyworth (123) 456-7890": the name
        out.append(seg.strip())
    return out


def _skeletons(words) -> list[str]:  # noqa: ANN001
    return [skeleton(w) for w in words if len(w) > 1]


def handle_of(handle: str, words) -> bool:  # noqa: ANN001 (a sequence of name words)
    """True when a handle or an e-mail's local part spells the name: ivan.ivanov, john_doe, johndoe, apennyworth,
    emoore, mayer, asmirnova-ml, in either script (ivanov spells Иванов)."""
    full = [s for s in _skeletons(words) if len(s) >= 2]
    if len(full) < 1:
        return False
    initials = {w[0].casefold() for w in words if w}
    initials |= {skeleton(w)[:1] for w in words if skeleton(w)}
    parts = [skeleton(p) for p in _HANDLE_SPLIT.split(handle or "") if p]
    parts = [p for p in parts if p]
    if len(parts) >= 2 and sum(p in full for p in parts) >= 2:
        return True
    first, last = full[0], full[-1]
    for p in parts:
        if len(p) < 4:
            continue
        joined = {first + last, last + first} | {i + last for i in initials} | {last + i for i in initials}
        joined |= {i + s for i in initials for s in full if len(s) >= 4}
        if p in joined or (p in full and len(p) >= 4):
            return True
    return False


def same_name(a, b) -> bool:  # noqa: ANN001 (two sequences of name words, or two strings)
    """Two names are one person's name: case, ё/е, word order, initials and transliteration aside. Each needs
    two words; every full word of the shorter is in the longer and its initials fit the longer's other words."""
    a = a.split() if isinstance(a, str) else list(a)
    b = b.split() if isinstance(b, str) else list(b)
    a = [w.strip(".,") for w in a if w.strip(".,")]
    b = [w.strip(".,") for w in b if w.strip(".,")]
    if len(a) < 2 or len(b) < 2:
        return False
    return _covers(a, b) or _covers(b, a)


def _covers(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` is a word of ``long`` (an initial: the first letter of one), each used once."""
    if len(short) > len(long):
        return False
    pool = [skeleton(w) for w in long]
    matched = 0
    for w in sorted(short, key=len, reverse=True):  # full words first, initials take what is left
        s = skeleton(w)
        if len(w) > 1:
            if s not in pool:
                return False
            pool.remove(s)
            matched += len(s) >= 2
        else:
            hit = next((p for p in pool if p[:1] == s[:1]), None)
            if hit is None:
                return False
            pool.remove(hit)
    return matched >= 1


def name_key(words) -> str:  # noqa: ANN001
    """A name folded for comparison (order, case, script): the same for Иван Иванов and IVANOV Ivan."""
    return " ".join(sorted(skeleton(w) for w in words if skeleton(w)))


def person_name(text: str, emails: list[str] | None = None, handles: list[str] | None = None,
                author: str = "") -> PersonName | None:
    """The person a resume is about, from the strongest evidence in it (None when nothing is name-shaped)."""
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    if emails is None:
        emails = EMAIL_LOCAL.findall(text or "")
    else:
        emails = [e.split("@")[0] for e in emails]
    handles = list(handles or [])
    found: list[tuple[float, int, list[str], str]] = []  # (score, order, words, source)
    m = _LABEL.search(text or "")
    if m:
        head = _SPLIT.split(m.group(1))[0].split(",")[0]
        if (words := name_words(head)) is not None:
            found.append((3.0, -1, words, "label"))
    if author and (words := name_words(author)) is not None:
        found.append((2.5, 0, words, "metadata"))
    contact_lines = {i for i, ln in enumerate(lines[:TOP_LINES + 3]) if "@" in ln or re.search(r"\d{3}[\s.\-)]+\d{3}", ln)}
    for i, line in enumerate(lines[:TOP_LINES]):
        for seg in _segments(line):
            words = name_words(seg)
            if words is None:
                continue
            score, source = 1.0, "top"
            if any(abs(i - c) <= 2 for c in contact_lines):
                score, source = 1.5, "contacts"
            if any(handle_of(h, words) for h in handles):
                score, source = 4.0, "handle"
            if any(handle_of(e, words) for e in emails):
                score, source = 5.0, "email"
            found.append((score - i * 0.01, i, words, source))
    if not found:
        return None
    score, _, words, source = max(found, key=lambda f: (f[0], -f[1]))
    return PersonName(tuple(words), source)


def profile_handles(links: list[tuple[str, str]], telegram: list[str]) -> list[str]:
    """The user names in profile links ((kind, url) pairs: github.com/<name>, linkedin.com/in/<name>, t.me/<name>)
    and Telegram handles."""
    out: list[str] = []
    for kind, url in links:
        path = re.sub(r"^(?:https?://)?(?:www\.)?[^/]+/", "", url.strip()).strip("/")
        bits = [b for b in path.split("/") if b and b.lower() not in ("in", "pub", "profile", "users", "u", "resume")]
        if bits and kind in ("github", "gitlab", "linkedin", "telegram", "kaggle", "huggingface", "bitbucket"):
            out.append(bits[0])
    out.extend(t.lstrip("@") for t in telegram)
    return [h for h in dict.fromkeys(out) if len(h) >= 3]


def resume_name(text: str, facts: dict | None = None) -> PersonName | None:
    """The person a resume is about, using its facts' e-mails and profile handles (``Facts`` as data) when given."""
    contacts = (facts or {}).get("contacts") or {}
    links = [(str(lk.get("kind", "")), str(lk.get("url", ""))) for lk in (facts or {}).get("links") or []]
    emails = [str(e) for e in contacts.get("emails") or []]
    return person_name(text, emails or None, profile_handles(links, [str(t) for t in contacts.get("telegram") or []]))


def own_emails(text: str, emails: list[str]) -> list[str]:
    """The person's own e-mails among those a resume gives: the ones in its header (the first lines), else the
    first one. Referees' and colleagues' addresses further down are not the person's."""
    head = "\n".join([ln for ln in (text or "").splitlines() if ln.strip()][:TOP_LINES]).casefold()
    mine = [e for e in emails if e.casefold() in head]
    return mine or list(emails[:1])
