"""Reading order for a PDF page: columns first, then rows, the way a person reads a resume.

Input is line segments (a run of text on one baseline, with its box); output is text lines.
A page splits into columns only where a clear vertical gutter separates two substantial bodies of
text; a narrow margin of dates beside the entries (moderncv style) stays row by row, so a date
lands on the same line as its job.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BIN = 2.0  # points per histogram bin when looking for a gutter


@dataclass
class Seg:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _chars(segs: list[Seg]) -> int:
    return sum(len(s.text) for s in segs)


def _text_cover(segs: list[Seg], x_min: float, n: int) -> tuple[np.ndarray, float]:
    """How many characters of text lie over each ``BIN``-wide strip of the region, and their total."""
    cover = np.zeros(n + 1)
    weights = np.array([len(s.text) for s in segs], dtype=float)
    starts = np.clip(((np.array([s.x0 for s in segs]) - x_min) / BIN).astype(int), 0, n)
    ends = np.clip(((np.array([s.x1 for s in segs]) - x_min) / BIN).astype(int) + 1, 0, n)
    np.add.at(cover, starts, weights)
    np.add.at(cover, ends, -weights)
    return np.cumsum(cover)[:n], float(weights.sum()) or 1.0


def _best_cut(segs: list[Seg], cover: np.ndarray, x_min: float, n: int,
              total: float) -> tuple[float, list[Seg], list[Seg], list[Seg]] | None:
    """The x of the thinnest strip in the sparse stretch that best balances the text on its two sides (few
    segments crossing it), with (left, right, spanning); None when no stretch has text on both sides."""
    lo, hi = int(0.15 * n), int(0.85 * n)
    best: tuple[float, float, list[Seg], list[Seg], list[Seg]] | None = None
    low = cover[lo:hi] <= 0.12 * total
    i = 0
    while i < len(low):
        if not low[i]:
            i += 1
            continue
        j = i
        while j < len(low) and low[j]:
            j += 1
        gap_bins = cover[lo + i: lo + j]
        k = lo + i + int(np.argmin(gap_bins))
        x = x_min + k * BIN + BIN / 2
        left = [s for s in segs if s.x1 <= x]
        right = [s for s in segs if s.x0 >= x]
        spanning = [s for s in segs if s.x0 < x < s.x1]
        if left and right:
            score = min(_chars(left), _chars(right)) - 3 * _chars(spanning)
            if best is None or score > best[0]:
                best = (score, x, left, right, spanning)
        i = j
    return best[1:] if best is not None else None


def _find_gutter(segs: list[Seg]) -> tuple[str, list[Seg], list[Seg], list[Seg]] | None:
    """("columns", left, right, spanning) for a real gutter; ("margin", light, heavy, spanning) for a narrow
    margin of labels (dates) beside the entries; None when the region is one column."""
    x_min = min(s.x0 for s in segs)
    x_max = max(s.x1 for s in segs)
    width = x_max - x_min
    if width < 150 or len(segs) < 6:
        return None
    n = int(width / BIN) + 2
    cover, total = _text_cover(segs, x_min, n)
    cut = _best_cut(segs, cover, x_min, n, total)
    if cut is None:
        return None
    _, left, right, spanning = cut
    lc, rc = _chars(left), _chars(right)
    if min(lc, rc) < 0.12 * total or len(left) < 3 or len(right) < 3:
        return None
    lw = max(s.x1 for s in left) - min(s.x0 for s in left)
    rw = max(s.x1 for s in right) - min(s.x0 for s in right)
    if min(lw, rw) < 0.15 * width:
        light, heavy = (left, right) if lw < rw else (right, left)
        return ("margin", light, heavy, spanning) if len(light) >= 2 else None
    top = max(min(s.y0 for s in left), min(s.y0 for s in right))
    bottom = min(max(s.y1 for s in left), max(s.y1 for s in right))
    shorter = min(max(s.y1 for s in left) - min(s.y0 for s in left), max(s.y1 for s in right) - min(s.y0 for s in right))
    if bottom - top < 0.4 * max(shorter, 1.0):
        return None
    # Rows, not columns: most lines on the lighter side sit on the same baseline as a line on the other.
    light, heavy = (left, right) if lc <= rc else (right, left)
    if min(lc, rc) < 0.3 * total:
        aligned = sum(1 for s in light if any(abs(s.y1 - h.y1) < 0.3 * s.height for h in heavy))
        if aligned > 0.6 * len(light):
            return "margin", light, heavy, spanning
    return "columns", left, right, spanning


def _row_groups(segs: list[Seg]) -> list[list[Seg]]:
    """Segments whose vertical centres are close share a row; rows top to bottom."""
    rows: list[list[Seg]] = []
    for s in sorted(segs, key=lambda s: (s.cy, s.x0)):
        if rows and abs(s.cy - rows[-1][0].cy) <= 0.45 * min(s.height, rows[-1][0].height):
            rows[-1].append(s)
        else:
            rows.append([s])
    return rows


def _rows(segs: list[Seg]) -> list[str]:
    rows = _row_groups(segs)
    for row in rows:
        row.sort(key=lambda s: s.x0)
    _merge_labels(rows)
    return [_join(row) for row in rows if row]


def _merge_labels(rows: list[list[Seg]]) -> None:
    """A short label left of the entries ("June 2020 –" above "Present") that wraps onto the next row is
    put back together on the first row, so the date range reads as one phrase next to its entry."""
    width = max(s.x1 for row in rows for s in row) - min(s.x0 for row in rows for s in row)

    def label(row: list[Seg]) -> bool:
        return len(row) >= 2 and row[0].x1 - row[0].x0 < 0.25 * width and row[1].x0 - row[0].x1 > 0.5 * row[0].height

    for i in range(len(rows) - 1):
        a, b = rows[i], rows[i + 1]
        if not a or not b or not label(a):
            continue
        first, nxt = a[0], b[0]
        wraps = ((abs(nxt.x0 - first.x0) < 3 or abs(nxt.x1 - first.x1) < 3) and nxt.x1 < a[1].x0 and nxt.y0 - first.y1 < 0.8 * first.height
                 and len(nxt.text) <= 25)
        if wraps and (len(b) == 1 or b[1].x0 - nxt.x1 > 0.5 * nxt.height):
            a[0] = Seg(first.x0, first.y0, max(first.x1, nxt.x1), nxt.y1, f"{first.text} {nxt.text}")
            del b[0]


def _margin_rows(light: list[Seg], heavy: list[Seg]) -> list[str]:
    """A narrow margin of labels (dates, places) beside the entries: each label block, joined into one
    line, goes in front of the entry row it lines up with, so "Jan 2020 – Present" stays one phrase."""
    blocks: list[list[Seg]] = []
    for s in sorted(light, key=lambda s: (s.cy, s.x0)):
        if blocks and s.y0 - blocks[-1][-1].y1 < 0.8 * s.height:
            blocks[-1].append(s)
        else:
            blocks.append([s])
    rows = _row_groups(heavy)
    lines = [(row[0].cy, _join(row)) for row in rows]
    for block in blocks:
        label = " ".join(" ".join(_join(r) for r in _row_groups(block)).split())
        anchor = block[0]
        best = min(range(len(lines)), key=lambda i: abs(lines[i][0] - anchor.cy), default=None)
        if best is not None and abs(lines[best][0] - anchor.cy) < 0.6 * anchor.height:
            lines[best] = (lines[best][0], f"{label}  {lines[best][1]}")
        else:
            lines.append((anchor.cy, label))
    return [text for _, text in sorted(lines, key=lambda t: t[0])]


def _join(row: list[Seg]) -> str:
    row = sorted(row, key=lambda s: s.x0)
    parts = [row[0].text]
    for prev, cur in zip(row, row[1:]):
        gap = cur.x0 - prev.x1
        parts.append(" " if gap < 0.6 * cur.height else "  ")
        parts.append(cur.text)
    return "".join(parts)


def order(segs: list[Seg], depth: int = 0) -> list[str]:
    """Lines of text in reading order; a blank line separates columns and bands."""
    segs = [s for s in segs if s.text.strip()]
    if not segs:
        return []
    split = _find_gutter(segs) if depth < 2 else None
    if split is None:
        return _rows(segs)
    kind, left, right, spanning = split
    if kind == "margin":
        return _margin_rows(left, right + spanning)
    # Spanning segments (a full-width header or rule-like line) cut the page into bands.
    cuts = sorted(spanning, key=lambda s: s.cy)
    edges = [float("-inf")] + [s.cy for s in cuts] + [float("inf")]
    out: list[str] = []
    for k in range(len(edges) - 1):
        top, bottom = edges[k], edges[k + 1]
        if k > 0:
            out.append(cuts[k - 1].text)
        for part in ([s for s in left if top <= s.cy < bottom], [s for s in right if top <= s.cy < bottom]):
            lines = order(part, depth + 1)
            if lines:
                if out and out[-1] != "":
                    out.append("")
                out.extend(lines)
    while out and out[-1] == "":
        out.pop()
    return out
