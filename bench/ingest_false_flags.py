"""False flags: how many clean resumes get any hidden-text or injection flag.

    python bench/ingest_false_flags.py

Reads every resume in ``assets/samples/resumes`` (ours) and ``../shared/eval/resumes`` (third-party,
measured only: nothing is tuned to them), plus the designed resumes built in ``fixtures/designed_resumes.py``
(dark sidebars with white text, grey footers, light-grey text, light bands, text over pictures). All of
them are ordinary resumes with nothing hidden, so every flag is a false flag. Files that cannot be read
(errors by design: encrypted, not a PDF, blank) are counted apart. Goal: at most 2% of clean resumes
flagged; none of the designed ones.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest_common import resume_files, write_result


def main() -> None:
    from core.documents import Document, parse_many
    from fixtures.designed_resumes import DESIGNED

    files = resume_files()
    items = [(p.read_bytes(), p.name) for _, p in files]
    for name, build in DESIGNED.items():
        files.append(("designed", Path(f"{name}.pdf")))
        items.append((build(), f"{name}.pdf"))
    docs = parse_many(items, workers=2)
    by_source: dict[str, dict] = {}
    flagged_files = []
    for (source, path), doc in zip(files, docs):
        row = by_source.setdefault(source, {"files": 0, "read": 0, "errors": 0, "flagged": 0, "flags_by_kind": Counter()})
        row["files"] += 1
        if not isinstance(doc, Document):
            row["errors"] += 1
            continue
        row["read"] += 1
        if doc.flags:
            row["flagged"] += 1
            row["flags_by_kind"].update(f.kind for f in doc.flags)
            flagged_files.append({"source": source, "file": path.name,
                                  "flags": [{"kind": f.kind, "snippet": f.snippet[:120]} for f in doc.flags]})
    total_read = sum(r["read"] for r in by_source.values())
    total_flagged = sum(r["flagged"] for r in by_source.values())
    for row in by_source.values():
        row["rate"] = round(row["flagged"] / row["read"], 4) if row["read"] else None
        row["flags_by_kind"] = dict(row["flags_by_kind"])
    result = {"read": total_read, "flagged": total_flagged,
              "false_flag_rate": round(total_flagged / total_read, 4) if total_read else None,
              "by_source": by_source, "flagged_files": flagged_files, "goal": "at most 2% of clean resumes flagged"}
    path = write_result("ingest_false_flags", result)
    print(f"{total_flagged} of {total_read} clean resumes flagged ({result['false_flag_rate']:.1%}); "
          + "; ".join(f"{k}: {v['flagged']}/{v['read']} (+{v['errors']} unreadable by design)" for k, v in by_source.items())
          + f". Written to {path.relative_to(path.parents[2])}")


if __name__ == "__main__":
    main()
