"""The product's errors share one root that carries the message (LocalizedError); front ends catch that one type."""

import pytest

from core.bounds import InputTooLong
from core.coerce import CoerceError
from core.compare.runner import CompareError
from core.documents import DocumentError
from core.engines import EngineUnavailable, OutputError
from core.errors import LocalizedError, ProfileError
from core.hosting import HostingError
from core.models import get_profile
from core.prompts import PromptError
from core.schemas.grade import TagFormatError
from core.services.grading import GradeError
from core.services.question_bank import BankError
from core.services.questions import QuestionsError
from core.services.screening import ScreenError, ScreenOptions, reserve_screen_run


def test_every_product_error_derives_from_the_one_root():
    for error in (ProfileError, EngineUnavailable, PromptError, CoerceError, HostingError, CompareError, BankError,
                  TagFormatError, OutputError, DocumentError, ScreenError, GradeError, QuestionsError, InputTooLong):
        assert issubclass(error, LocalizedError), error
    assert not issubclass(ProfileError, KeyError)  # a KeyError would print its message quoted


def test_an_unknown_profile_says_so_plainly_and_a_screening_still_gets_a_run_id():
    with pytest.raises(LocalizedError) as raised:
        get_profile("no-such-profile")
    assert str(raised.value).startswith("no model profile named 'no-such-profile'")
    assert raised.value.text("ru") == str(raised.value)  # a plain message reads the same in every language
    # the screening itself says what is wrong; reserving its run id does not fail first
    assert reserve_screen_run("A job description long enough to screen.", [], ScreenOptions(profile="no-such-profile"))
