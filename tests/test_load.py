"""20 people at once on the real workbench server (gradio_client over loopback), screening and grading
with the `rules` profile: no errors, everyone gets their own result, and the store keeps exactly one
result per distinct input. Speed is measured by bench/load_throughput.py, not asserted here."""

import pytest

from fixtures.load import mixups, run_users, store_problems, user_inputs

USERS = 20
TIMEOUT_S = 240  # for the whole crowd; far above what it takes (the figures are in bench/results/load_throughput.json)


@pytest.mark.slow
def test_twenty_users_at_once_get_their_own_results_and_the_store_keeps_each_once(workbench_url):
    inputs = user_inputs(USERS)
    run = run_users(workbench_url, inputs, TIMEOUT_S)
    assert len(run.calls) == 3 * USERS  # each user: connect, screen, grade
    assert not run.errors, run.summary()["error_messages"]
    assert mixups(run, inputs) == []
    assert store_problems(run, inputs) == []
