"""Fairness probe: the figures on hand-made numbers, counterfactual copies that differ only in name and gender
markers (English and Russian), and the probe itself on the sample resumes with the `rules` profile."""

from __future__ import annotations

import difflib
import json
import re

import pytest
from typer.testing import CliRunner

from cli import app
from core.documents import parse_path
from core.fairness import CopyScore, ProbeConfig, run_probe, sample_resumes, summarize
from core.fairness.counterfactual import find_name, group_of, make_copy
from core.fairness.metrics import impact_ratios
from core.fairness.names import CONTROL, Person, load_markers
from core.fairness.probe import copies_of
from core.fairness.views import group_rows, verdict
from core.services.screening import ScreenInput
from tests.paths import SAMPLES

GROUPS = ("male", "female")
JOB = SAMPLES / "jobs" / "llm_engineer_en.txt"


# metrics on hand-made numbers --------------------------------------------------------------------------------
def _s(subject, group, name, score, advanced=None):
    return CopyScore(subject, group, name, score, score >= 70 if advanced is None and score is not None else advanced,
                     None if score is not None else "failed")


def test_impact_ratio_is_each_rate_over_the_highest():
    assert impact_ratios({"male": 0.5, "female": 0.4}) == {"male": 1.0, "female": pytest.approx(0.8)}
    assert impact_ratios({"male": 0.0, "female": 0.0}) == {"male": None, "female": None}  # nobody advanced: no ratio
    assert impact_ratios({"male": 0.3, "female": None}) == {"male": 1.0, "female": None}


def test_figures_from_hand_made_scores():
    scores = [_s("a", CONTROL, "Anna", 80), _s("a", "male", "James", 80), _s("a", "male", "David", 82),
              _s("a", "female", "Emily", 60), _s("a", "female", "Sarah", 78),
              _s("b", CONTROL, "John", 50), _s("b", "male", "James", 51), _s("b", "female", "Emily", 50),
              _s("b", "female", "Sarah", None)]  # could not be screened: in no figure
    f = summarize(scores, GROUPS)
    # |Δ|: a: 0, 2, 20, 2; b: 1, 0  -> 25 / 6
    assert f.n_deltas == 6 and f.mean_abs_delta == pytest.approx(25 / 6)
    assert f.largest is not None and (f.largest.subject, f.largest.group, f.largest.name) == ("a", "female", "Emily")
    assert (f.largest.original_score, f.largest.score, f.largest.delta) == (80, 60, -20)
    male, female = f.group("male"), f.group("female")
    assert (male.n, male.advanced, male.advance_rate) == (3, 2, pytest.approx(2 / 3))
    assert (female.n, female.failed, female.advanced, female.advance_rate) == (3, 1, 1, pytest.approx(1 / 3))
    assert male.impact_ratio == 1.0 and female.impact_ratio == pytest.approx(0.5) and female.below_four_fifths
    assert female.mean_abs_delta == pytest.approx(22 / 3) and female.n_deltas == 3
    assert f.min_impact_ratio == pytest.approx(0.5)
    assert f.goals.mean_abs_delta_met is False and f.goals.impact_ratio_met is False and not f.goals.all_met
    rows = group_rows(f, "en")
    assert rows[2][-1] == "below 0.8" and rows[1][-1] == "ok"


def test_equal_scores_meet_the_goals_and_nobody_advancing_is_unknown():
    same = [_s("a", CONTROL, "x", 72), _s("a", "male", "y", 72), _s("a", "female", "z", 73)]
    f = summarize(same, GROUPS)
    assert f.mean_abs_delta == 0.5 and f.goals.all_met
    low = [_s("a", CONTROL, "x", 30), _s("a", "male", "y", 30), _s("a", "female", "z", 30)]
    f = summarize(low, GROUPS)
    assert f.min_impact_ratio is None and f.goals.impact_ratio_met is None and f.goals.mean_abs_delta_met


# counterfactual copies ----------------------------------------------------------------------------------------
def _word_changes(a: str, b: str) -> list[tuple[str, str]]:
    """(old, new) words where the texts differ; no word may be added or removed."""
    wa, wb = re.findall(r"\w+", a), re.findall(r"\w+", b)
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        assert op == "replace" and i2 - i1 == j2 - j1, (op, wa[i1:i2], wb[j1:j2])
        changes += list(zip(wa[i1:i2], wb[j1:j2]))
    return changes


def _allowed(old: str, new: str, original: set[str], person: Person) -> bool:
    """A name part (or its Latin spelling in a link) for the new person's, or the same word with another gender ending."""
    new_parts = {w.lower() for w in (person.given, person.surname, person.latin_given, person.latin_surname)}
    if any(p in old.lower() for p in original) and any(p in new.lower() for p in new_parts):
        return True
    o, n = old.lower(), new.lower()
    stem = 0
    while stem < min(len(o), len(n)) and o[stem] == n[stem]:
        stem += 1
    return stem >= 3 and max(len(o), len(n)) - stem <= 4  # разработал -> разработала, перенесла -> перенёс


@pytest.mark.parametrize("resume", sorted(p.name for p in (SAMPLES / "resumes").iterdir()))
def test_copies_differ_from_the_original_only_in_name_and_gender_markers(resume):
    doc = parse_path(SAMPLES / "resumes" / resume)
    markers = load_markers()
    found = find_name(doc.text, markers)
    assert found is not None
    original = {w.lower() for w in found.tokens} | {"dmitry", "kozlov", "maria", "volkova"}
    copies = copies_of(resume, doc.text, doc.language, GROUPS, 2, markers)
    assert [c.group for c in copies] == [CONTROL, "male", "male", "female", "female"]
    assert copies[0].text == doc.text  # the control is the resume as it is
    for copy, person in zip(copies[1:], [p for g in GROUPS for p in markers.names(doc.language, g, 2)]):
        assert person.full in copy.text and not any(t in copy.text for t in found.tokens)
        changes = _word_changes(doc.text, copy.text)
        assert changes, copy.person
        bad = [(o, n) for o, n in changes if not _allowed(o, n, original, person)]
        assert not bad, (copy.person, bad)


def test_russian_copies_swap_surname_form_patronymic_and_past_tense_verbs():
    markers = load_markers()
    text = ("Козлов Дмитрий Сергеевич\nPython-разработчик · dmitry.kozlov@example.ru\n"
            "- Разработал и внедрил платёжный API.\n- Перевёл монолит в микросервисы.\nЗанимался нагрузочным "
            "тестированием. Я работал в команде из пяти человек.\nШкола программистов, 2015\nОтветственный, готов к "
            "командировкам.\nКозлов Д. С. — автор доклада.")
    elena = markers.names("ru", "female", 1)[0]
    assert (elena.given, elena.surname) == ("Елена", "Иванова")
    copy = make_copy(text, elena, markers, "ru")
    for expected in ("Иванова Елена Сергеевна", "elena.ivanova@example.ru", "- Разработала и внедрила платёжный API",
                     "- Перевела монолит", "Занималась нагрузочным", "Я работала в команде", "Школа программистов",
                     "Ответственная, готова к", "Иванова Д. С."):
        assert expected in copy, (expected, copy)
    assert group_of(find_name(text, markers), markers) == "male"
    # and back: the female copy turned male is the male text again (up to the new name)
    alexander = markers.names("ru", "male", 1)[0]
    back = make_copy(copy, alexander, markers, "ru")
    assert back == make_copy(text, alexander, markers, "ru")
    assert "Иванов Александр Сергеевич" in back and "- Перевёл монолит" in back and "Занимался" in back


def test_english_pronouns_and_no_name_line():
    markers = load_markers()
    text = ("Summary\nHe led a team of five; his code review practice cut bugs by 30%. Latency fell to 900 ms.\n"
            "Colleagues describe her as calm and her designs as clear.")
    copies = copies_of("cv.txt", text, "en", GROUPS, 1, markers)
    control, male, female = (c.text for c in copies)
    assert control == "Alex Taylor\n" + text  # no name found: every copy gets a name line, the control a unisex one
    assert male.startswith("James Miller\n") and female.startswith("Emily Miller\n")
    assert "She led a team of five; her code review" in female and "900 ms." in female
    assert "describe him as calm and his designs" in male and "He led" in male


# the probe with the rules profile -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rules_report():
    return run_probe(JOB.read_text(encoding="utf-8"), [ScreenInput.from_path(p) for p in sample_resumes()],
                     ProbeConfig(profile="rules", names_per_group=1))


def test_probe_on_the_sample_resumes_with_rules(rules_report):
    r = rules_report
    f = r.figures
    assert r.profile == "rules" and len(r.resumes) == 4 and not r.skipped
    assert len(r.scores) == 4 * 3 and all(s.score is not None for s in r.scores)
    assert f.n_deltas == 8 and f.subjects == 4
    assert [g.n for g in f.groups] == [4, 4, 4]
    # the report's goal flags follow its own numbers
    assert f.goals.mean_abs_delta_met == (f.mean_abs_delta <= 2)
    assert f.goals.impact_ratio_met == (f.min_impact_ratio is not None and f.min_impact_ratio >= 0.8) \
        or (f.min_impact_ratio is None and f.goals.impact_ratio_met is None)
    # measured: the rules engine scores on skills, years and requirement coverage, so names and gender markers
    # move nothing (bench/results/fairness_rules.json has the full figures)
    assert f.mean_abs_delta == 0 and f.min_impact_ratio == 1.0 and f.goals.all_met
    text = verdict(r, "ru")
    assert "Цели достигнуты" in text and "n = 8" in text


def test_cli_prints_the_report_as_json(rules_report):
    resume = SAMPLES / "resumes" / "dmitry_kozlov_python_backend_ru.pdf"
    result = CliRunner().invoke(app, ["fairness", "--job", str(JOB), "--model", "rules", "--names-per-group", "1",
                                      "--json", str(resume)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{"):])
    assert data["profile"] == "rules" and len(data["scores"]) == 3
    assert {s["group"] for s in data["scores"]} == {CONTROL, "male", "female"}
    assert data["figures"]["n_deltas"] == 2 and data["figures"]["mean_abs_delta"] == 0
    bad = CliRunner().invoke(app, ["fairness", "--job", str(JOB), "--model", "rules", "--names-per-group", "99",
                                   str(resume)])
    assert bad.exit_code == 2 and "names per group must be between 1 and 8" in bad.output


def test_fairness_tab_endpoint_with_the_sample_resumes(workbench_url, rules_report):
    from gradio_client import Client

    client = Client(workbench_url, verbose=False)
    result, groups, per_resume, chart = client.predict(None, True, JOB.read_text(encoding="utf-8"), "rules", 1,
                                                       api_name="/fairness")
    assert "The goals are met" in result and "n = 8 copies" in result
    assert [row[0] for row in groups["data"]] == ["original (control)", "male names", "female names"]
    assert len(per_resume["data"]) == 4 * 3 and chart is not None


def test_a_name_that_is_also_a_word_is_replaced_only_as_a_name():
    markers = load_markers()
    text = "Rachel Young\nrachel.young@example.com\nMentored young engineers; YOUNG was my team's nickname."
    copy = make_copy(text, markers.names("en", "male", 1)[0], markers, "en")
    assert copy == "James Miller\njames.miller@example.com\nMentored young engineers; MILLER was my team's nickname."
