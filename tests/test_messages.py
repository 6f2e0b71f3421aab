"""The message tables: both languages have the same messages with the same placeholders, and the
plural rules give the forms a Russian or English reader expects."""

import string

import pytest

from core.messages import choose_lang, en, lang_from_accept, msg, plural, ru


def _fields(value) -> set[str]:
    texts = value if isinstance(value, tuple) else (value,)
    return {f for text in texts for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_have_the_same_keys_and_placeholders():
    assert set(en.MESSAGES) == set(ru.MESSAGES)
    for key, value in en.MESSAGES.items():
        assert _fields(value) == _fields(ru.MESSAGES[key]), key
        if isinstance(value, tuple):
            assert len(value) == 2 and len(ru.MESSAGES[key]) == 3, key


@pytest.mark.parametrize("n, expected", [(1, "1 год"), (2, "2 года"), (4, "4 года"), (5, "5 лет"), (11, "11 лет"),
                                         (12, "12 лет"), (14, "14 лет"), (21, "21 год"), (22, "22 года"),
                                         (25, "25 лет"), (101, "101 год"), (111, "111 лет"), (0, "0 лет"),
                                         (1.5, "1,5 года")])
def test_russian_plural_forms(n, expected):
    assert msg("years_n", "ru", n=n) == expected


def test_english_plural_forms():
    assert [msg("years_n", "en", n=n) for n in (1, 2, 0, 1.5)] == ["1 year", "2 years", "0 years", "1.5 years"]
    assert plural(3, ("answer", "answers"), "en") == "answers"


def test_unknown_key_says_where_to_add_it():
    with pytest.raises(KeyError, match="core/messages"):
        msg("no_such_message", "ru")


def test_language_comes_from_the_browser_then_the_document():
    assert lang_from_accept("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7") == "ru"
    assert lang_from_accept("en-GB,en;q=0.9,ru;q=0.8") == "en"
    assert lang_from_accept("de-DE,fr;q=0.5") is None
    assert choose_lang("ru-RU", "Python developer with five years of experience") == "ru"
    assert choose_lang(None, "Разработчик Python с опытом пять лет") == "ru"
    assert choose_lang(None, "") == "en"


def test_every_train_setting_has_a_label_and_description_in_both_languages():
    from training.presets import PRESETS
    from workbench.tabs.train import FORM

    for lang in ("en", "ru"):
        table = {"en": en.MESSAGES, "ru": ru.MESSAGES}[lang]
        assert all(f"cfg.{k}" in table and f"cfg.{k}.help" in table for k in FORM), lang
        assert all(f"preset.{name}" in table for name in PRESETS), lang


def test_errors_whose_words_are_in_the_tables_read_in_either_language():
    from core.services.screening import ScreenError

    err = ScreenError(key="err_job_short")
    assert "job description" in str(err) and err.text("ru").startswith("описание вакансии")
    assert ScreenError("as written").text("ru") == "as written"


def test_compare_tables_read_in_russian():
    import pandas as pd

    from core.compare.views import localized

    table = pd.DataFrame([{"comparison": "offline vs rules", "metric": "Overall", "answers": 3, "Wilcoxon p": "0.5"}])
    ru_table = localized(table, "ru")
    assert list(ru_table.columns) == ["сравнение", "метрика", "ответов", "p (Уилкоксон)"]
    assert ru_table["метрика"].tolist() == ["Итог"] and localized(table, "en") is table


def test_progress_speaks_the_callers_language():
    from core.services.common import ItemClock, loading_message

    said: list[str] = []

    def progress(fraction, message):
        said.append(message)

    progress.lang = "ru"
    clock = ItemClock(21, "graded", "answers", progress)
    clock.begin()
    clock.tick()
    assert said[0] == "оценено 0 из 21 ответа · идёт работа" and said[1].startswith("оценено 1 из 21 ответа · ")
    assert "осталось около" in said[1]
    assert loading_message("offline", 30, "ru") == "загрузка модели «offline» (в первый раз около 30 с)"
    english: list[str] = []
    ItemClock(5, "assessed", "resumes", lambda f, m: english.append(m)).begin()
    assert english == ["assessed 0 of 5 resumes · working on them"]


def _english_words(text: str, codes: tuple[str, ...] = ()) -> list[str]:
    """Latin words left in ``text`` once the file's own names and the config/column codes are taken out."""
    import re

    for code in codes:
        text = text.replace(code, "")
    return re.findall(r"[A-Za-z]{2,}", text)


def test_answer_file_errors_read_in_russian():
    from core.services.answer_files import AnswerFileError, read_answer_bytes

    data = "question,answer,human_score\n,an answer,3\nWhat is REST?,A style,9\nWhat is DNS?,names,1,extra\n"
    items, errors = read_answer_bytes(data.encode(), "answers.csv")
    assert items == [] and [e.row for e in errors] == [2, 3, 4]
    assert str(errors[0]) == "row 2: the question is empty; every row needs the question that was asked"
    ru_lines = [e.text("ru") for e in errors]
    assert ru_lines[0].startswith("строка 2: вопрос пустой") and "вне шкалы 0–5" in ru_lines[1]
    assert all(not _english_words(line) for line in ru_lines), ru_lines
    with pytest.raises(AnswerFileError) as info:
        read_answer_bytes(b"text,reply\nx,y\n", "answers.csv")
    assert "no question and no answer column" in str(info.value)
    assert info.value.text("ru").startswith("answers.csv: нет ни столбца question (вопрос)")


def test_dataset_check_and_memory_plan_read_in_russian():
    from training.config import DataSettings
    from training.dataset import DatasetError, build_from_bytes, check_report
    from training.vram import Plan

    data = (b"question,answer,human_score\nWhat is REST?,An architectural style over HTTP.,4\n"
            b"What is a mutex?,A lock that one thread holds at a time.,5\n,An answer to nothing.,3\n"
            b"What is DNS?,Names to addresses.,\n")
    built = build_from_bytes(data, "answers.csv", DataSettings(negative_ratio=0, val_fraction=0))
    report = check_report(built, None, 512, "")
    english = report.markdown()
    assert "rows read" in english and "only 2 real examples" in english and report.warnings[0].startswith("only 2")
    russian = report.markdown("ru")
    assert "прочитано строк: 4" in russian and "настоящих примеров всего 2" in russian
    assert "- строка 4: вопрос пустой" in russian and "- ответ 3 ('What is DNS?'): нет оценки" in russian
    assert "- row 4: the question is empty" in english and "- answer 3 ('What is DNS?'): the score is missing" in english
    for line in russian.splitlines():
        assert not _english_words(line, ("answers.csv", "val_fraction", "'What is DNS?'")), line
    with pytest.raises(DatasetError) as info:
        build_from_bytes(b"  ", "empty.csv", DataSettings())
    assert "is empty" in str(info.value) and info.value.text("ru").startswith("empty.csv пустой")
    plan = Plan(12.34, 16.0, "fits", {"weights": 9.1, "activations": 2.2}, "predicted peak 12.3 GB of 16 GB")
    assert plan.text() == plan.message and plan.text("ru") == "ожидаемый пик 12,3 ГБ из 16 ГБ"
    assert plan.parts_text("ru") == "веса 9.10, активации 2.20"
