"""DOCX -> visible text (body, tables, text boxes, headers and footers) and hidden-run flags.

A run is hidden when Word would not show it: the "hidden" font effect (``w:vanish``), text in the
colour of what is behind it (page, paragraph, cell or run shading) or too small to read. Formatting
is resolved the way Word does it: run, then character style, then paragraph style, then defaults.
Deleted tracked changes and field codes are not text a reader sees, so they are skipped.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from core.config import Limits
from core.documents.model import DocFlag, DocumentError, FlagKind
from core.documents.pdf_hidden import LOW_CONTRAST, SAME_COLOUR, contrast
from core.documents.text_clean import normalize_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
TINY_HALF_POINTS = 8  # 4 pt
_CONTAINERS = {"hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml", "moveTo", "bdo", "dir"}
_THEME_WHITE = {"background1", "light1"}
_THEME_BLACK = {"text1", "dark1"}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _on(el) -> bool:
    """A toggle property such as <w:vanish/> or <w:vanish w:val="false"/>."""
    return el is not None and el.get(W + "val", "true").lower() not in ("0", "false", "off")


def _hex(value: str | None) -> int | None:
    if not value or value.lower() == "auto" or len(value) != 6:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


class _Styles:
    """Run properties from styles.xml, following ``basedOn`` chains."""

    def __init__(self, styles_el) -> None:
        self.rpr: dict[str, object] = {}
        self.based: dict[str, str] = {}
        self.default_rpr = None
        self.default_para: str | None = None
        if styles_el is None:
            return
        defaults = styles_el.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.default_rpr = defaults
        for st in styles_el.iter(W + "style"):
            sid = st.get(W + "styleId")
            if not sid:
                continue
            self.rpr[sid] = st.find(W + "rPr")
            based = st.find(W + "basedOn")
            if based is not None:
                self.based[sid] = based.get(W + "val", "")
            if st.get(W + "type") == "paragraph" and st.get(W + "default") in ("1", "true"):
                self.default_para = sid

    def chain(self, sid: str | None) -> list:
        out: list = []
        seen: set[str] = set()
        while sid and sid not in seen and len(seen) < 20:
            seen.add(sid)
            if self.rpr.get(sid) is not None:
                out.append(self.rpr[sid])
            sid = self.based.get(sid)
        return out


@dataclass
class _Run:
    text: str
    reason: FlagKind | None


@dataclass
class _Reader:
    styles: _Styles
    page_bg: int = 0xFFFFFF
    flags: list[DocFlag] = field(default_factory=list)

    def _prop(self, chain: list, name: str):
        for rpr in chain:
            el = rpr.find(W + name)
            if el is not None:
                return el
        return None

    def _reason(self, run, chain: list, bg: int) -> FlagKind | None:
        if _on(self._prop(chain, "vanish")) or _on(self._prop(chain, "specVanish")):
            return "docx_hidden"
        size = self._prop(chain, "sz")
        if size is not None:
            try:
                if int(size.get(W + "val", "24")) < TINY_HALF_POINTS:
                    return "tiny_text"
            except ValueError:
                pass
        shd = self._prop(chain, "shd")
        run_bg = _hex(shd.get(W + "fill")) if shd is not None else None
        highlight = self._prop(chain, "highlight")
        if highlight is not None and highlight.get(W + "val") not in (None, "none"):
            return None  # highlighted text is meant to stand out
        bg = run_bg if run_bg is not None else bg
        color = self._prop(chain, "color")
        if color is None:
            return None
        fg = _hex(color.get(W + "val"))
        theme = color.get(W + "themeColor", "")
        if fg is None:
            fg = 0xFFFFFF if theme in _THEME_WHITE else 0 if theme in _THEME_BLACK else None
        if fg is None:
            return None
        ratio = contrast(fg, bg)
        return "hidden_text" if ratio < SAME_COLOUR else "low_contrast" if ratio < LOW_CONTRAST else None

    def paragraph(self, p, bg: int, extra: list[str]) -> str:
        ppr = p.find(W + "pPr")
        pstyle = None
        if ppr is not None:
            ps = ppr.find(W + "pStyle")
            pstyle = ps.get(W + "val") if ps is not None else None
            shd = ppr.find(W + "shd")
            if shd is not None and (fill := _hex(shd.get(W + "fill"))) is not None:
                bg = fill
        para_chain = self.styles.chain(pstyle or self.styles.default_para)
        runs: list[_Run] = []
        self._collect(p, runs, para_chain, bg, extra)
        return self._emit(runs)

    def _collect(self, el, runs: list[_Run], para_chain: list, bg: int, extra: list[str]) -> None:
        for child in el:
            tag = _local(child.tag)
            if tag == "r":
                self._run(child, runs, para_chain, bg, extra)
            elif tag in _CONTAINERS:
                self._collect(child, runs, para_chain, bg, extra)

    def _run(self, r, runs: list[_Run], para_chain: list, bg: int, extra: list[str]) -> None:
        rpr = r.find(W + "rPr")
        chain = []
        if rpr is not None:
            chain.append(rpr)
            rs = rpr.find(W + "rStyle")
            if rs is not None:
                chain += self.styles.chain(rs.get(W + "val"))
        chain += para_chain
        if self.styles.default_rpr is not None:
            chain.append(self.styles.default_rpr)
        parts: list[str] = []
        for child in r:
            tag = _local(child.tag)
            if tag == "t":
                parts.append(child.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag in ("drawing", "pict", "AlternateContent"):
                self._text_boxes(child, bg, extra)
        if parts:
            runs.append(_Run("".join(parts), self._reason(r, chain, bg)))

    def _text_boxes(self, el, bg: int, extra: list[str]) -> None:
        """Paragraphs inside text boxes; the Fallback copy of an AlternateContent is skipped."""
        for box in el.iter(W + "txbxContent"):
            if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
                continue
            extra.extend(self.blocks(box, bg))

    def _emit(self, runs: list[_Run]) -> str:
        visible: list[str] = []
        hidden: list[_Run] = []

        def close() -> None:
            text = " ".join("".join(r.text for r in hidden).split())
            kind = hidden[0].reason if hidden else None  # hidden runs only
            if kind is not None and sum(ch.isalnum() for ch in text) >= 2:
                self.flags.append(DocFlag(kind=kind, snippet=text[:500]))
            hidden.clear()

        for run in runs:
            if run.reason is None:
                if hidden and run.text.strip():
                    close()
                    if visible and not visible[-1].endswith((" ", "\t", "\n")):
                        visible.append(" ")
                visible.append(run.text)
            else:
                if hidden and hidden[-1].reason != run.reason:
                    close()
                hidden.append(run)
        if hidden:
            close()
        return "\n".join(normalize_line(line) for line in "".join(visible).split("\n"))

    def blocks(self, parent, bg: int) -> list[str]:
        lines: list[str] = []
        for child in parent:
            tag = _local(child.tag)
            if tag == "p":
                extra: list[str] = []
                lines.append(self.paragraph(child, bg, extra))
                lines.extend(extra)
            elif tag == "tbl":
                for tr in child.iter(W + "tr"):
                    if tr.getparent() is not child:
                        continue
                    cells: list[str] = []
                    for tc in tr.findall(W + "tc"):
                        cell_bg = bg
                        shd = tc.find(f"{W}tcPr/{W}shd")
                        if shd is not None and (fill := _hex(shd.get(W + "fill"))) is not None:
                            cell_bg = fill
                        t = " ".join(x for x in self.blocks(tc, cell_bg) if x.strip()).strip()
                        if t and (not cells or cells[-1] != t):  # merged cells repeat their text
                            cells.append(t)
                    lines.append(" | ".join(cells))
            elif tag in ("sdt", "sdtContent", "customXml", "ins"):
                lines.extend(self.blocks(child, bg))
        return lines


def read_docx(data: bytes, filename: str, limits: Limits) -> tuple[str, list[DocFlag]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(filename, "corrupt", "the DOCX file is damaged. Save it again from Word and re-upload.") from exc
    if unpacked > limits.max_docx_unpacked_bytes:
        raise DocumentError(
            filename,
            "too_big",
            f"the DOCX unpacks to {unpacked // (1024 * 1024)} MiB (limit {limits.max_docx_unpacked_bytes // (1024 * 1024)} MiB). "
            "Remove embedded media or save as PDF.",
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as exc:
        raise DocumentError(filename, "corrupt", f"the DOCX file cannot be read ({exc}). Save it again from Word and re-upload.") from exc
    try:
        styles_el = document.styles.element
    except Exception:  # a DOCX without a styles part
        styles_el = None
    reader = _Reader(_Styles(styles_el))
    background = document.element.find(W + "background")
    if background is not None and (color := _hex(background.get(W + "color"))) is not None:
        reader.page_bg = color
    head: list[str] = []
    foot: list[str] = []
    seen: set[int] = set()
    for section in document.sections:
        for part, into in ((section.header, head), (section.first_page_header, head), (section.footer, foot)):
            try:
                if part.is_linked_to_previous or id(part.part) in seen:
                    continue
                seen.add(id(part.part))
                into.extend(reader.blocks(part._element, reader.page_bg))
            except Exception:  # a header part python-docx cannot resolve: the body still stands
                continue
    body = reader.blocks(document.element.body, reader.page_bg)
    lines = [line for line in head + body + foot]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text, reader.flags
