"""Hidden-text detection on the project's adversarial set: how many hidden payloads are caught, by method.

    python bench/hidden_text_detection.py

The set is built in code by ``fixtures/hidden_text.py`` (tests/test_hostile_hidden.py checks the same set): clean
English and Russian resumes (PDF and DOCX) with payloads (direct instructions, instructions split across lines, keyword stuffing) hidden by
each method (white text, background colour, tiny, invisible render mode, transparent, off the page,
clipped, covered by shapes, strokes, pictures or annotations, switched-off layers, Word's hidden
formatting...). A case counts as detected when a hidden-text flag is raised, no payload word reaches
the text the model reads, and the visible resume is still read.
"""

from __future__ import annotations

from collections import defaultdict

from ingest_common import write_result


def main() -> None:
    from core.documents import Document, parse_many
    from fixtures.hidden_text import (CASES, CLEAN, DOCX_METHODS, HIDDEN_KINDS, MARKERS, PAYLOADS, clean_docx,
                                      hostile_pdf)

    items = []
    for fmt, method, payload, lang in CASES:
        chunks = PAYLOADS[payload]
        if fmt == "docx" and method == "docx_tag_chars" and payload == "direct_ru":
            continue  # tag characters carry ASCII only; the test covers this case with its own payload
        data = hostile_pdf(lang, method, chunks) if fmt == "pdf" else clean_docx(lang, DOCX_METHODS[method], chunks)
        items.append(((fmt, method, payload, lang), data))
    docs = parse_many([(data, f"{case[1]}.{case[0]}") for case, data in items], workers=2)
    by_method: dict[str, dict] = defaultdict(lambda: {"detected": 0, "total": 0, "kinds": set(), "missed": []})
    for ((_fmt, method, payload, lang), _), doc in zip(items, docs):
        row = by_method[method]
        row["total"] += 1
        if not isinstance(doc, Document):
            row["missed"].append(f"{payload}: unreadable ({doc.code})")
            continue
        hidden = [f for f in doc.flags if f.kind in HIDDEN_KINDS]
        text = doc.text.lower()
        leaked = [m for m in MARKERS[payload] if m in text]
        if hidden and not leaked and CLEAN[lang][0].lower() in text:
            row["detected"] += 1
            row["kinds"].update(f.kind for f in hidden)
        else:
            row["missed"].append(f"{payload}: flags {[f.kind for f in hidden]}, leaked {leaked}")
    for row in by_method.values():
        row["kinds"] = sorted(row["kinds"])
    detected = sum(r["detected"] for r in by_method.values())
    total = sum(r["total"] for r in by_method.values())
    result = {"detected": detected, "total": total, "by_method": dict(by_method),
              "goal": "every hidden payload flagged and kept out of the model's text"}
    path = write_result("hidden_text_detection", result)
    print(f"{detected} of {total} hidden payloads detected; "
          + "; ".join(f"{m}: {r['detected']}/{r['total']}" for m, r in by_method.items())
          + f". Written to {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()
