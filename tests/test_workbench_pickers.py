"""Model pickers in the browser: a profile registered while the page is open (a freshly trained adapter)
is offered as soon as a tab is opened, without restarting the workbench."""

from dataclasses import replace

import pytest


@pytest.mark.browser
@pytest.mark.slow
def test_a_profile_registered_meanwhile_is_offered_when_the_tab_opens(workbench_url, browser, own_models_file):
    from core.models import get_profile, profile_names, register_profile

    page = browser.new_page()
    page.goto(workbench_url)
    page.get_by_role("tab", name="Score answers").click()
    picker = page.locator("#grade-profile input")
    picker.click()
    page.get_by_role("option", name="offline").first.wait_for(timeout=20_000)
    assert page.get_by_role("option", name="grader-fresh").count() == 0
    page.keyboard.press("Escape")

    register_profile(replace(get_profile("offline"), name="grader-fresh", description="registered while the page is open"))
    assert "grader-fresh" in profile_names()
    page.get_by_role("tab", name="Interview questions").click()
    page.get_by_role("tab", name="Score answers").click()
    picker.click()
    page.get_by_role("option", name="grader-fresh").wait_for(timeout=20_000)
    page.get_by_role("option", name="grader-fresh").click()
    assert picker.input_value() == "grader-fresh"
    page.close()
