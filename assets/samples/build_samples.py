"""Rebuild the sample resumes (PDF and DOCX) from the Markdown sources in ``src/``.

Run: python assets/samples/build_samples.py
"""

from __future__ import annotations

import html
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
OUT = HERE / "resumes"
FORMATS = {
    "anna_smirnova_ml_engineer": "pdf",
    "dmitry_kozlov_python_backend_ru": "pdf",
    "john_carter_frontend": "docx",
    "maria_volkova_data_engineer_ru": "docx",
}


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))


def md_to_html(md: str) -> str:
    out, in_list = [], False
    for line in md.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if line.startswith("# "):
            out.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.startswith("## "):
            out.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def build_pdf(md: str, target: Path) -> None:
    import pymupdf

    css = "body{font-family:sans-serif;font-size:10pt} h1{font-size:18pt} h2{font-size:12pt;margin-top:8pt} li{margin:0}"
    story = pymupdf.Story(html=md_to_html(md), user_css=css)
    writer = pymupdf.DocumentWriter(str(target))
    more = True
    while more:
        device = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.paper_rect("a4") + (50, 50, -50, -50))
        story.draw(device)
        writer.end_page()
    writer.close()


def build_docx(md: str, target: Path) -> None:
    import docx

    document = docx.Document()
    for line in md.splitlines():
        plain = line.replace("**", "")
        if line.startswith("# "):
            document.add_heading(plain[2:], level=0)
        elif line.startswith("## "):
            document.add_heading(plain[3:], level=1)
        elif line.startswith("- "):
            document.add_paragraph(plain[2:], style="List Bullet")
        elif line.strip():
            document.add_paragraph(plain)
    document.save(str(target))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for stem, fmt in FORMATS.items():
        md = (SRC / f"{stem}.md").read_text(encoding="utf-8")
        target = OUT / f"{stem}.{fmt}"
        (build_pdf if fmt == "pdf" else build_docx)(md, target)
        print(target.relative_to(HERE.parent.parent))


if __name__ == "__main__":
    main()
