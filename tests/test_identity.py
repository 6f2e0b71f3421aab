"""Who a candidate is: one record per person across screening, interview links and gradings (Russian names in any
spelling too), different people never merged on a placeholder phone, names from the strongest evidence (never a
location), the person's name in the ranked table, cards and CSV, and merge / split by a person, audit-logged.

Real parts throughout: the sample resumes and resumes made here as real PDF and DOCX files, parsed by the real
reader, screened and graded by the real `rules` engine into a real SQLite store; the CLI is the real Typer app.
"""

from __future__ import annotations

import csv
import io
import time

import pymupdf
import pytest
from sqlalchemy import select

from fixtures.designed_resumes import A4, draw_text
from tests.paths import SAMPLES

JOB = (SAMPLES / "jobs" / "llm_engineer_en.txt").read_text(encoding="utf-8")
MARIA = SAMPLES / "resumes" / "maria_volkova_data_engineer_ru.docx"
JOHN = SAMPLES / "resumes" / "john_carter_frontend.docx"
BODY = ["Professional Summary", "Engineer with 8 years of experience in Python, SQL and cloud services.",
        "Experience", "Senior Engineer, Wayne Enterprises — 2019 – present",
        "Built data pipelines in Python and PostgreSQL; led a team of four.", "Skills", "Python, SQL, Docker, AWS"]
SHARED_PHONE = "(123) 456-7890"


def _pdf(lines: list[str]) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    y = 60.0
    for line in lines:
        y = draw_text(page, 50, y, line, 10)
    return doc.tobytes()


def _docx(lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# the four resumes: different people, different e-mails, one placeholder phone
ALFRED = ["Silicon Valley, CA, USA", f"Alfred Pennyworth  {SHARED_PHONE}", "alfred.pennyworth@example.com",
          "apennyworth", "Product Manager  apennyworth", *BODY]
BRUCE = ["123 Gotham St", "Gotham, USA", f"Bruce Wayne  {SHARED_PHONE}", "bwayne@example.com", "bwayne",
         "MERN Stack Developer  bwayne", *BODY]
BARRY = ["Google HQ, Mountain View, CA, USA", f"Barry Allen  {SHARED_PHONE}", "allthe.stars@example.com",
         "Front-End Developer", *BODY]
JOHN_DOE = ["JOHN DOE", f"123 Main St, Anywhere, USA — {SHARED_PHONE} — john.doe@example.com",
            "LinkedIn: linkedin.com/in/johndoe — GitHub: github.com/johndoe", *BODY]
IVAN = ["Резюме - Иван Иванов", "Иван Иванов", "Веб-разработчик | Full-Stack Developer", "Контактная информация",
        "Email: ivan.ivanov@example.ru", "Telegram: @ivan_ivanov", "О себе",
        "Разработчик на Python и JavaScript, 5 лет опыта. Ivan Ivanov на GitHub: github.com/ivanov-dev",
        "Опыт работы", "Python-разработчик, ООО «Ромашка» — 2020 – по настоящее время"]


@pytest.fixture()
def records(store, tmp_path, monkeypatch):
    """A fresh store (and HIRELAB_HOME) that screening, grading and interview links write to."""
    monkeypatch.setenv("HIRELAB_DB_URL", store.url)
    monkeypatch.setenv("HIRELAB_HOME", str(tmp_path / "home"))
    return store


def _screen(*files: tuple[str, bytes], blind: bool = False):
    from core.services.screening import ScreenInput, ScreenOptions, screen

    rows = screen(JOB, [ScreenInput(name, data) for name, data in files], ScreenOptions(profile="rules", blind=blind))
    assert all(r.ok for r in rows), [r.error for r in rows]
    return rows


def _people(store) -> dict[str, list[str]]:
    """Every candidate's name -> their documents' file names."""
    from core.services.records import candidate_record, list_candidates

    return {c.name: [d.filename for d in candidate_record(c.ref, store=store).documents]
            for c in list_candidates(store=store)}


def _grade(candidate: str, question: str, answer: str, ref: str = ""):
    from core.services.grading import AnswerInput, grade_answers

    [out] = grade_answers([AnswerInput(candidate=candidate, candidate_ref=ref, question=question, answer=answer)], "rules")
    assert out.ok, out.error
    return out


def _wait_graded(token: str, seconds: float = 120):
    from core.services import interviews as iv

    deadline = time.monotonic() + seconds
    while True:
        found = iv.find_interview(token)
        if found.status != "submitted" or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_ivan_ivanov_is_one_candidate_across_resume_interview_links_and_gradings(records):
    from core.services import interviews as iv
    from core.services.records import candidate_record, list_candidates

    _screen(("ivan_ivanov_cv.pdf", _pdf(IVAN)))
    [ivan] = list_candidates(store=records)
    assert ivan.name == "Иван Иванов"
    questions = iv.set_questions("python_developer/design", "ru")
    links = [iv.create_interview(questions, typed, created_by="recruiter", language="ru", model_profile="rules")
             for typed in ("Иван Иванов", "иван  иванов", "ИВАН ИВАНОВ", "Ivan Ivanov", "Иванов Иван", "I. Ivanov")]
    assert {link.candidate_ref for link in links} == {ivan.ref}
    iv.submit_interview(links[0].token, ["Балансировщик перед сервисами без состояния, кэш ссылок в Redis.",
                                         "Токен-бакет на клиента в Redis с лимитами в заголовках."])
    assert _wait_graded(links[0].token).status == "graded"
    _grade("Иван Иванов", "Что такое GIL в Python?", "Глобальная блокировка интерпретатора: один поток исполняет байткод.")
    _grade("Ivan Ivanov", "Зачем нужен индекс в базе данных?", "Индекс ускоряет поиск строк, как оглавление книги.")
    assert [c.ref for c in list_candidates(store=records)] == [ivan.ref]  # 1 candidate, not 7
    record = candidate_record(ivan.ref, store=records)
    assert len(record.grades) == 4 and [d.reason for d in record.documents] == ["new"]
    assert sorted(g.reason for g in record.grades) == ["name", "name", "reference", "reference"]


def test_maria_volkova_graded_three_times_is_one_candidate_with_three_grades(records):
    from core.services.records import candidate_record, list_candidates

    _screen((MARIA.name, MARIA.read_bytes()))
    for typed, question in (("Мария Волкова", "Что такое партиционирование таблиц?"),
                            ("мария волкова", "Чем отличается OLTP от OLAP?"),
                            ("Maria Volkova", "Зачем нужен Airflow?")):
        _grade(typed, question, "Развёрнутый ответ по существу вопроса с примерами из практики инженера данных.")
    [maria] = list_candidates(store=records)
    record = candidate_record(maria.ref, store=records)
    assert maria.name == "Мария Волкова" and len(record.grades) == 3 and record.documents[0].filename == MARIA.name


def test_four_resumes_sharing_a_placeholder_phone_are_four_people_named_as_their_resumes_say(records):
    from core.services.export import rows_to_csv, summary_table
    from workbench.render import card

    rows = _screen(("alfred_pennyworth_pm.pdf", _pdf(ALFRED)), ("bruce_wayne_fullstack.pdf", _pdf(BRUCE)),
                   ("barry_allen_fe.pdf", _pdf(BARRY)), ("john_doe.docx", _docx(JOHN_DOE)))
    people = _people(records)
    assert people == {"Alfred Pennyworth": ["alfred_pennyworth_pm.pdf"], "Bruce Wayne": ["bruce_wayne_fullstack.pdf"],
                      "Barry Allen": ["barry_allen_fe.pdf"], "John Doe": ["john_doe.docx"]}
    # the ranked table, the cards and the CSV name the person, the file beside it
    by_file = {r.filename: r for r in rows}
    alfred = by_file["alfred_pennyworth_pm.pdf"]
    headers, data = summary_table(rows, "en")
    cells = [dict(zip(headers, line))[headers[3]] for line in data]
    assert "Alfred Pennyworth · alfred_pennyworth_pm.pdf" in cells and not any("Silicon" in c for c in cells)
    assert "Alfred Pennyworth · alfred_pennyworth_pm.pdf" in card(alfred, 1, "en")
    parsed = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert {(p["candidate"], p["file"]) for p in parsed} == {
        ("Alfred Pennyworth", "alfred_pennyworth_pm.pdf"), ("Bruce Wayne", "bruce_wayne_fullstack.pdf"),
        ("Barry Allen", "barry_allen_fe.pdf"), ("John Doe", "john_doe.docx")}


def test_the_same_person_by_e_mail_is_one_candidate_and_the_record_says_why(records):
    from core.services.records import candidate_record, list_candidates
    from workbench.record_view import record_html

    second = ["John Carter", "Senior Frontend Engineer", "john.carter@example.com", *BODY]
    _screen((JOHN.name, JOHN.read_bytes()), ("carter_2024.pdf", _pdf(second)))
    [john] = list_candidates(store=records)
    record = candidate_record(john.ref, store=records)
    assert [(d.filename, d.reason) for d in record.documents] == [(JOHN.name, "new"), ("carter_2024.pdf", "email")]
    html = record_html(record, "en")
    assert "linked because: the same e-mail address" in html
    assert "связано, потому что: тот же адрес e-mail" in record_html(record, "ru")


def test_a_person_merges_and_splits_candidates_and_the_audit_log_records_it(records):
    from typer.testing import CliRunner

    from cli.app import app
    from core.services.audit import list_audit
    from core.services.merging import MergeError, merge_candidates, split_document
    from core.services.records import list_candidates

    bruce = _pdf(BRUCE)
    _screen(("alfred_pennyworth_pm.pdf", _pdf(ALFRED)), ("bruce_wayne_fullstack.pdf", bruce))
    refs = {c.name: c.ref for c in list_candidates(store=records)}
    report = merge_candidates(refs["Alfred Pennyworth"], refs["Bruce Wayne"], "Olga", store=records)
    assert report.links >= 2 and _people(records) == {
        "Alfred Pennyworth": ["alfred_pennyworth_pm.pdf", "bruce_wayne_fullstack.pdf"]}
    [merged] = list_audit(action="merge", store=records)
    assert merged.actor == "Olga" and merged.candidate_ref == refs["Alfred Pennyworth"]
    assert merged.detail["merged"] == refs["Bruce Wayne"]
    # the same file screened again stays where the person put it
    _screen(("bruce_wayne_fullstack.pdf", bruce))
    assert len(_people(records)) == 1
    with pytest.raises(MergeError) as no_name:
        split_document(refs["Alfred Pennyworth"], "bruce_wayne_fullstack.pdf", " ", store=records)
    assert "audit log" in str(no_name.value)

    result = CliRunner().invoke(app, ["split-document", refs["Alfred Pennyworth"], "bruce_wayne_fullstack.pdf",
                                      "--by", "Olga"])
    assert result.exit_code == 0, result.output
    people = {c.name: c.ref for c in list_candidates(store=records)}
    assert _people(records) == {"Alfred Pennyworth": ["alfred_pennyworth_pm.pdf"],
                                "Bruce Wayne": ["bruce_wayne_fullstack.pdf"]}
    assert people["Bruce Wayne"] in result.output
    [split] = list_audit(action="split", store=records)
    assert split.actor == "Olga" and split.detail["new"] == people["Bruce Wayne"]
    with pytest.raises(MergeError):
        split_document(people["Bruce Wayne"], "bruce_wayne_fullstack.pdf", "Olga", store=records)  # their only one
    result = CliRunner().invoke(app, ["merge-candidates", people["Alfred Pennyworth"], people["Alfred Pennyworth"],
                                      "--by", "Olga"])
    assert result.exit_code == 2 and "itself" in result.output


def test_blind_screening_hides_every_form_of_the_name_from_the_model(records):
    from core.documents import parse_bytes
    from core.services.screening import prepare_resume

    for name, data, forms in (
            ("alfred_pennyworth_pm.pdf", _pdf(ALFRED), ("alfred", "pennyworth", "apennyworth")),
            ("ivan_ivanov_cv.pdf", _pdf(IVAN), ("иван", "иванов", "ivan", "ivanov", "ivan_ivanov"))):
        doc = parse_bytes(data, name)
        seen, *_ = prepare_resume(doc, [], blind=True)
        low = seen.casefold()
        assert not [f for f in forms if f in low], seen[:400]
        assert "[NAME]" in seen
    alfred = parse_bytes(_pdf(ALFRED), "a.pdf")
    assert "Silicon Valley" in prepare_resume(alfred, [], blind=True)[0]  # a place is not the name


def test_sample_resumes_make_one_candidate_each(records):
    from core.store.tables import CandidateLinkRow

    files = sorted((SAMPLES / "resumes").iterdir())
    _screen(*((p.name, p.read_bytes()) for p in files))
    people = _people(records)
    assert sorted(people) == ["Anna Smirnova", "John Carter", "Дмитрий Козлов", "Мария Волкова"]
    with records.session() as s:
        reasons = list(s.scalars(select(CandidateLinkRow.reason).where(CandidateLinkRow.kind == "document")))
    assert reasons == ["new"] * len(files)


def test_placeholder_phones():
    from core.services.identity import is_placeholder_phone

    for fake in ("(123) 456-7890", "123-456-7890", "(123) 456-7891", "206-555-0149", "+1 (555) 987-6543",
                 "(909) 555-5555", "+90 541 999 99 99", "000-000-0000", "+7 915 123-45-67"):
        assert is_placeholder_phone(fake), fake
    for real in ("+44 20 7946 0958", "+7 916 482-17-39", "8 (903) 555-21-48", "+1 (415) 862-0142"):
        assert not is_placeholder_phone(real), real


def test_screening_with_an_explicit_candidate_links_the_resume_to_them_whatever_it_says(records, tmp_path):
    """`hirelab screen --candidate REF`: a person says whose resume this is; the strongest evidence of all, so
    even a resume with another name lands on that record (reason `reference`); an unknown one is refused first."""
    from typer.testing import CliRunner

    from cli.app import app
    from core.services.records import candidate_record, list_candidates

    _screen(("alfred_pennyworth_pm.pdf", _pdf(ALFRED)))
    [alfred] = list_candidates(store=records)
    job, resume = tmp_path / "job.txt", tmp_path / "bruce_wayne_fullstack.pdf"
    job.write_text(JOB, encoding="utf-8")
    resume.write_bytes(_pdf(BRUCE))
    refused = CliRunner().invoke(app, ["screen", "--job", str(job), "--model", "rules", "--candidate", "c000000000000",
                                       str(resume)])
    assert refused.exit_code == 2 and "No candidate with reference 'c000000000000'" in refused.output
    assert len(list_candidates(store=records)) == 1  # nothing screened

    done = CliRunner().invoke(app, ["screen", "--job", str(job), "--model", "rules", "--candidate", alfred.ref,
                                    str(resume)])
    assert done.exit_code == 0, done.output
    assert [c.ref for c in list_candidates(store=records)] == [alfred.ref]  # no new candidate for "Bruce Wayne"
    documents = {d.filename: d.reason for d in candidate_record(alfred.ref, store=records).documents}
    assert documents == {"alfred_pennyworth_pm.pdf": "new", "bruce_wayne_fullstack.pdf": "reference"}
