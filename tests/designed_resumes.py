"""Clean resumes with designed layouts, built in code: dark sidebars with white text, grey footers, light-grey
secondary text, text over light bands, chips and pictures. Nothing in them is hidden, so any hidden-text
flag on them is a false flag. Used by tests/test_hostile_hidden.py and bench/ingest_false_flags.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pymupdf

A4 = pymupdf.paper_rect("a4")
CYRILLIC = pymupdf.Font(language="ru")


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    v = int(hex_colour.lstrip("#"), 16)
    return ((v >> 16 & 255) / 255, (v >> 8 & 255) / 255, (v & 255) / 255)


def _text(page, x: float, y: float, text: str, size: float = 10, colour: str = "#111827", bold: bool = False) -> float:
    """Write one line; returns the baseline of the next line."""
    if any("а" <= ch.lower() <= "я" for ch in text):
        page.insert_font(fontname="noto", fontbuffer=CYRILLIC.buffer)
        page.insert_text((x, y), text, fontname="noto", fontsize=size, color=_rgb(colour))
    else:
        page.insert_text((x, y), text, fontname="hebo" if bold else "helv", fontsize=size, color=_rgb(colour))
    return y + size * 1.45


def _block(page, x: float, y: float, lines: list[str], size: float = 10, colour: str = "#111827") -> float:
    for line in lines:
        y = _text(page, x, y, line, size, colour)
    return y


def _picture(width: int, height: int, dark: bool) -> pymupdf.Pixmap:
    """A gradient picture with some texture, like a header photo."""
    samples = bytearray()
    for y in range(height):
        for x in range(width):
            base = 30 + (x * 60) // width + (y * 20) // height if dark else 200 + (x * 40) // width
            grain = (x * 7 + y * 13) % 9
            samples += bytes((min(base + grain, 255), min(base + 10 + grain, 255), min(base + 25 + grain, 255)))
    return pymupdf.Pixmap(pymupdf.csRGB, width, height, bytes(samples), False)


EXPERIENCE = [
    "Senior Backend Engineer, Northwind Payments — 2021 – present",
    "Built the settlement service in Python and Django; cut batch time from 4 h to 25 min.",
    "Led the move to PostgreSQL 15 and Kubernetes; on-call lead for a team of six.",
    "Backend Engineer, Blue Harbor Logistics — 2017 – 2021",
    "Designed REST APIs for route planning used by 300 dispatchers; Celery, Redis, AWS.",
]
EDUCATION = ["BSc Computer Science, University of Leeds, 2017"]


def sidebar_dark() -> bytes:
    """A dark sidebar with white and light-grey text, a white main column with grey dates, and accent rules
    drawn after the headings they underline."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.draw_rect(pymupdf.Rect(0, 0, 190, A4.height), color=None, fill=_rgb("#1F2937"))
    y = _text(page, 20, 60, "Daniel Okafor", 18, "#FFFFFF", bold=True)
    y = _text(page, 20, y, "Backend Engineer", 11, "#D1D5DB")
    y = _text(page, 20, y + 20, "CONTACT", 9, "#9CA3AF", bold=True)
    y = _block(page, 20, y, ["daniel.okafor@example.com", "+44 20 7946 0958", "London, UK",
                             "github.com/dokafor"], 9, "#FFFFFF")
    y = _text(page, 20, y + 16, "SKILLS", 9, "#9CA3AF", bold=True)
    y = _block(page, 20, y, ["Python, Django, FastAPI", "PostgreSQL, Redis", "Docker, Kubernetes", "AWS, Terraform"],
               9, "#F9FAFB")
    y = _text(page, 20, y + 16, "LANGUAGES", 9, "#9CA3AF", bold=True)
    _block(page, 20, y, ["English (native)", "French (B2)"], 9, "#E5E7EB")
    y = _text(page, 210, 60, "Summary", 13, "#2563EB", bold=True)
    rules = [60.0]
    y = _block(page, 210, y, ["Backend engineer with 8 years of experience in payments and logistics.",
                              "I like simple services, good tests and calm on-call rotations."], 10)
    rules.append(y + 14)
    y = _text(page, 210, y + 14, "Experience", 13, "#2563EB", bold=True)
    for line in EXPERIENCE:
        y = _text(page, 210, y, line, 9.5, "#6B7280" if "—" in line else "#111827")
    rules.append(y + 14)
    y = _text(page, 210, y + 14, "Education", 13, "#2563EB", bold=True)
    _block(page, 210, y, EDUCATION, 10)
    for base in rules:
        page.draw_line((210, base + 3), (250, base + 3), color=_rgb("#2563EB"), width=2)
    return doc.tobytes()


def grey_footer() -> bytes:
    """A plain page with a light-grey footer band holding small grey text, and a grey rule above it."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    y = _text(page, 50, 70, "Priya Raman", 20, "#111827", bold=True)
    y = _text(page, 50, y, "Data Engineer · Bengaluru · priya.raman@example.in · linkedin.com/in/priyaraman", 9.5,
              "#4B5563")
    y = _text(page, 50, y + 18, "Experience", 12, "#111827", bold=True)
    y = _block(page, 50, y, ["Data Engineer, Saffron Retail — 2020 – present",
                             "Airflow and dbt pipelines over 3 TB a day; Spark on EMR; data quality checks.",
                             "Analyst, Mango Telecom — 2018 – 2020", "SQL reporting and Python automation."], 10)
    y = _text(page, 50, y + 18, "Skills", 12, "#111827", bold=True)
    _block(page, 50, y, ["Python, SQL, Spark, Airflow, dbt, Kafka, Snowflake"], 10)
    page.draw_rect(pymupdf.Rect(0, 792, A4.width, A4.height), color=None, fill=_rgb("#F3F4F6"))
    page.draw_line((50, 788), (A4.width - 50, 788), color=_rgb("#D1D5DB"), width=0.8)
    _text(page, 50, 812, "References available on request · Updated March 2026", 7.5, "#6B7280")
    _text(page, 480, 812, "Page 1 of 1", 7.5, "#9CA3AF")
    return doc.tobytes()


def light_grey_text() -> bytes:
    """Light-grey secondary text on white: dates, a tagline, captions."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    y = _text(page, 56, 72, "Lena Fischer", 22, "#222222", bold=True)
    y = _text(page, 56, y, "Frontend developer who cares about accessible interfaces", 10, "#BBBBBB")
    y = _text(page, 56, y + 16, "Experience", 12, "#222222", bold=True)
    for role, when, what in [("Frontend Developer, Kiel Digital", "Jan 2022 – present",
                              "React, TypeScript, Storybook; design system used by 12 teams."),
                             ("Web Developer, Nordlicht Media", "2019 – 2021",
                              "Vue and Nuxt sites; Lighthouse scores from 60 to 95.")]:
        _text(page, 56, y, role, 10, "#222222", bold=True)
        y = _text(page, 420, y, when, 9, "#A0A0A0")
        y = _text(page, 56, y, what, 10, "#444444")
    y = _text(page, 56, y + 16, "Skills", 12, "#222222", bold=True)
    y = _text(page, 56, y, "TypeScript, React, Vue, CSS, Playwright, WCAG 2.2", 10, "#444444")
    _text(page, 56, y + 6, "Portfolio and references on request", 8, "#C4C4C4")
    return doc.tobytes()


def light_bands() -> bytes:
    """A tinted header band, section headings on light bands, and skill chips (text over filled shapes)."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.draw_rect(pymupdf.Rect(0, 0, A4.width, 110), color=None, fill=_rgb("#EEF2FF"))
    y = _text(page, 50, 58, "Carlos Mendes", 22, "#1E1B4B", bold=True)
    _text(page, 50, y, "DevOps Engineer · Lisbon · carlos.mendes@example.pt", 10, "#4338CA")
    y = 140
    for heading, lines in [("Experience", EXPERIENCE[:3]), ("Education", EDUCATION)]:
        page.draw_rect(pymupdf.Rect(44, y - 14, A4.width - 44, y + 5), color=None, fill=_rgb("#F1F5F9"))
        y = _text(page, 50, y, heading, 11, "#0F172A", bold=True) + 4
        y = _block(page, 50, y, lines, 9.5, "#1F2937") + 12
    page.draw_rect(pymupdf.Rect(44, y - 14, A4.width - 44, y + 5), color=None, fill=_rgb("#F1F5F9"))
    y = _text(page, 50, y, "Skills", 11, "#0F172A", bold=True) + 8
    x = 50
    for chip in ("Terraform", "Kubernetes", "GitLab CI", "Prometheus", "Ansible"):
        width = pymupdf.get_text_length(chip, "helv", 9) + 14
        shape = page.new_shape()
        shape.draw_rect(pymupdf.Rect(x, y - 11, x + width, y + 5), radius=0.4)
        shape.finish(color=None, fill=_rgb("#DBEAFE"))
        shape.commit()
        _text(page, x + 7, y, chip, 9, "#1E40AF")
        x += width + 8
    return doc.tobytes()


def picture_header() -> bytes:
    """White name over a dark header picture, a photo beside the text, links underlined after the text, and a
    heading made bold by printing it twice."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_image(pymupdf.Rect(0, 0, A4.width, 120), pixmap=_picture(200, 40, dark=True), keep_proportion=False)
    page.insert_image(pymupdf.Rect(470, 20, 550, 100), pixmap=_picture(40, 40, dark=False), keep_proportion=False)
    y = _text(page, 50, 60, "Aiko Tanaka", 22, "#FFFFFF", bold=True)
    _text(page, 50, y, "Machine Learning Engineer · Osaka", 11, "#E5E7EB")
    y = 160
    for link in ("github.com/aikotanaka", "aiko.tanaka@example.jp"):
        end = 50 + pymupdf.get_text_length(link, "helv", 10)
        _text(page, 50, y, link, 10, "#1D4ED8")
        page.draw_line((50, y + 1.5), (end, y + 1.5), color=_rgb("#1D4ED8"), width=0.6)
        y += 15
    _text(page, 50.4, y + 14, "Experience", 12, "#111827")  # bold made by printing the word twice, offset
    y = _text(page, 50, y + 14, "Experience", 12, "#111827")
    y = _block(page, 50, y, ["ML Engineer, Sakura Vision — 2020 – present",
                             "PyTorch models for defect detection; ONNX export; 40 ms per image on CPU.",
                             "Data Scientist, Kansai Insurance — 2017 – 2020", "Churn models in scikit-learn."], 10)
    y = _text(page, 50, y + 14, "Skills", 12, "#111827", bold=True)
    _block(page, 50, y, ["Python, PyTorch, scikit-learn, ONNX, MLflow, SQL"], 10)
    return doc.tobytes()


def sidebar_ru() -> bytes:
    """A Russian resume with a dark teal sidebar in white text under a photo, a caption over the photo."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.draw_rect(pymupdf.Rect(A4.width - 200, 0, A4.width, A4.height), color=None, fill=_rgb("#134E4A"))
    x = A4.width - 185
    page.insert_image(pymupdf.Rect(x, 20, x + 90, 110), pixmap=_picture(30, 30, dark=True), keep_proportion=False)
    _text(page, x + 6, 104, "фото 2025", 7, "#E5E7EB")
    y = _text(page, x, 140, "Контакты", 11, "#CCFBF1")
    y = _block(page, x, y, ["ivan.petrov@example.ru", "+7 912 345-67-89", "Екатеринбург"], 9, "#FFFFFF")
    y = _text(page, x, y + 16, "Навыки", 11, "#CCFBF1")
    _block(page, x, y, ["Java, Spring Boot", "PostgreSQL, Kafka", "Docker, Kubernetes"], 9, "#FFFFFF")
    y = _text(page, 40, 60, "Иван Петров", 20, "#111827")
    y = _text(page, 40, y, "Java-разработчик", 11, "#6B7280")
    y = _text(page, 40, y + 16, "Опыт работы", 12, "#0F766E")
    y = _block(page, 40, y, ["Ведущий разработчик, ООО «Уралтех» — 2020 — н. в.",
                             "Платёжный шлюз на Spring Boot: 2 000 запросов в секунду.",
                             "Разработчик, АО «Сибирь-Софт» — 2016 — 2020"], 9.5)
    y = _text(page, 40, y + 16, "Образование", 12, "#0F766E")
    _block(page, 40, y, ["УрФУ, прикладная информатика, 2016"], 9.5)
    return doc.tobytes()


DESIGNED: dict[str, Callable[[], bytes]] = {f.__name__: f for f in (sidebar_dark, grey_footer, light_grey_text,
                                                                    light_bands, picture_header, sidebar_ru)}
# A line from each that must reach the text (the visible resume is read, not only left unflagged).
MUST_READ = {"sidebar_dark": "daniel.okafor@example.com", "grey_footer": "References available on request",
             "light_grey_text": "Frontend developer who cares", "light_bands": "Prometheus",
             "picture_header": "Aiko Tanaka", "sidebar_ru": "Java, Spring Boot"}
