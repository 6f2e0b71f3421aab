"""The ranking weights come from a committed script: its fitting function on a small synthetic signal table,
its command line end to end (table in, weights file out), and the shipped weights file being what the rules
profile scores with."""

from __future__ import annotations

import json
import random
from pathlib import Path

from core.engines.rules import rank
from core.engines.rules.rank import WEIGHTS_FILE, RankSignals, RankWeights, load_weights, rank_score
from training.fit_rank_weights import Row, evaluate, fit, main, scorer


def _table(seed: int = 7, per_job: int = 40) -> list[Row]:
    """Two jobs; role and coverage rise with the label, profile a little, skills and the lexical ones are noise."""
    rnd = random.Random(seed)
    rows = []
    for job in ("a", "b"):
        for i in range(per_job):
            gain = rnd.choice([0, 0, 0, 1, 1, 2])
            noise = lambda: rnd.uniform(-0.12, 0.12)  # noqa: E731
            s = RankSignals(skills=rnd.random(), coverage=min(1.0, max(0.0, 0.25 + 0.25 * gain + noise())),
                            profile=0.1 + 0.08 * gain + noise(), role=0.2 + 0.2 * gain + noise(),
                            title_words=rnd.random(), terms=rnd.random())
            rows.append(Row(job, f"{job}{i}", "train" if i % 2 else "test", gain, s, 0.0))
    return rows


def _random_order(rows: list[Row], seed: int) -> dict[str, tuple[float, float]]:
    rnd = random.Random(seed)
    shuffled = {r.key: rnd.random() for r in rows}
    return evaluate(rows, lambda r: shuffled[r.key], "test", ["a", "b"])


def test_fitted_weights_rank_held_out_rows_far_better_than_a_random_order() -> None:
    rows = _table()
    weights, train = fit(rows, ["a", "b"])
    held = evaluate(rows, scorer(weights), "test", ["a", "b"])
    chance = [_random_order(rows, s) for s in range(5)]
    for job in ("a", "b"):
        best_random = max(c[job][0] for c in chance)
        assert held[job][0] > best_random + 0.1, (held, chance)
        assert held[job][1] > 0.85 > max(c[job][1] for c in chance)
    # the informative signals carry the weight, the pure noise little or none
    assert weights.role > 0.2 and weights.coverage > 0.2
    assert weights.skills + weights.title_words + weights.terms < 0.25
    assert train["a"][1] > 0.85


def test_the_command_writes_a_weights_file_that_rank_reads_back(tmp_path: Path) -> None:
    rows = _table(seed=11)
    labels = {"jobs": {"a": "", "b": ""}, "tune_jobs": ["a"], "resumes": [], "source": "synthetic"}
    plain = {"noise": {f"{r.job}/{r.key}": float(i % 7) for i, r in enumerate(rows)}}
    table = tmp_path / "table.json"
    table.write_text(json.dumps({"labels": labels, "plain": plain,
                                 "rows": [r.__dict__ | {"signals": r.signals.__dict__} for r in rows]}))
    out = tmp_path / "weights.json"
    main(["--table", str(table), "--out", str(out), "--c", "0.5"])
    written = json.loads(out.read_text())
    expected, _ = fit(rows, ["a"], c=0.5)  # fitted on job a's train rows only
    assert load_weights(out) == expected
    assert written["fitted_on"]["jobs"] == ["a"] and written["fitted_on"]["split"] == "train"
    assert set(written["held_out_test"]) == {"rules", "noise"}


def test_the_shipped_weights_file_is_what_the_rules_profile_scores_with() -> None:
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert "train" in shipped["method"] and "evaluation" not in shipped["fitted_on"].get("data", "")
    assert shipped["fitted_on"]["split"] == "train" and "java" not in shipped["fitted_on"]["jobs"]
    assert RankWeights.from_json(shipped["weights"]) == rank.WEIGHTS == load_weights()
    assert rank.WEIGHTS != RankWeights()  # fitted values, not the dataclass's neutral defaults
    s = RankSignals(skills=0.6, coverage=0.5, profile=0.3, role=0.5, title_words=0.5, terms=0.4)
    assert rank_score(s) == rank_score(s, 0.0, RankWeights.from_json(shipped["weights"]))
