"""A run's metrics file as the Train tab and the CLI read it while the run goes on."""

from training.metrics import append_metrics, files_signature, last_step, latest, read_metrics


def test_latest_values_come_from_the_last_row_that_has_each_metric(tmp_path):
    for row in ({"step": 1, "loss": 2.5, "learning_rate": 1e-4}, {"step": 2, "eval_loss": 2.2},
                {"step": 3, "loss": 2.0, "reward": None}):
        append_metrics(tmp_path, row)
    with open(tmp_path / "metrics.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"step": 4, "loss": 1.')  # a line still being written
    rows = read_metrics(tmp_path)
    assert last_step(rows) == 3
    assert latest(rows) == {"loss": 2.0, "learning_rate": 1e-4, "eval_loss": 2.2}


def test_signature_changes_when_the_metrics_or_the_log_grow(tmp_path):
    empty = files_signature(tmp_path)
    append_metrics(tmp_path, {"step": 1, "loss": 1.0})
    after_metrics = files_signature(tmp_path)
    (tmp_path / "train.log").write_text("step 1\n", encoding="utf-8")
    after_log = files_signature(tmp_path)
    assert len({empty, after_metrics, after_log}) == 3
    assert files_signature(tmp_path) == after_log
