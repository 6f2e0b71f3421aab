"""Loading a profile's engine for a service: one progress line while a model loads, and a refusal as a value.

Screening, grading and interview questions each record a profile that cannot run here against every item they
were asked for (or the one outcome); they get the reason here rather than each catching it their own way.
"""

from __future__ import annotations

from collections.abc import Callable

from core.engines import Engine, EngineUnavailable, get_engine, loading_needed
from core.models import ModelProfile
from core.services.common import Progress, loading_message, progress_lang, report


def load_engine(profile: ModelProfile, progress: Progress | None = None,
                then: Callable[[Engine], None] | None = None) -> Engine | EngineUnavailable:
    """The loaded engine of ``profile``: while a model loads, ``progress`` says so (with how long its last load took
    here). ``then`` finishes setting it up (e.g. loads an adapter) and may refuse too. When the engine cannot serve
    the profile, the EngineUnavailable that says why is returned, not raised."""
    needs_loading, expected = loading_needed(profile)
    if needs_loading:
        report(progress, None, loading_message(profile.name, expected, progress_lang(progress)))
    try:
        engine = get_engine(profile)
        if then is not None:
            then(engine)
    except EngineUnavailable as exc:
        return exc
    return engine
