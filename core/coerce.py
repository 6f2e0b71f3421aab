"""One parser for settings, whatever they come from: a YAML file, a ``--set KEY=VALUE``, a form field or an
environment variable (strings). Profiles (``HIRELAB_PROFILE_<NAME>_<FIELD>``), training configs and the
Train tab's form all read their values through :func:`coerce`.

The rules: a ``Literal`` takes one of its values; ``bool`` takes a bool or the words true/false, yes/no,
on/off, 1/0; ``int`` takes a whole number (``3``, ``3.0`` from a form, ``"3"`` from the environment);
``float`` takes any number or numeric text (YAML reads ``2e-4`` as text); ``str`` takes text; a list of
names takes a list of strings; ``X | None`` takes ``None`` or an X.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from core.messages import LocalizedError

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


class CoerceError(LocalizedError):
    """A setting's value is not of its type; the message names the setting, the value and what is expected."""

    def __init__(self, name: str, value: Any, expected: str) -> None:
        super().__init__(f"{name} = {value!r}: expected {expected}")
        self.name, self.value, self.expected = name, value, expected


def coerce(field_type: Any, value: Any, name: str = "value") -> Any:
    """``value`` as ``field_type`` (a type or a typing form such as ``Literal[...]`` or ``float | None``);
    raises CoerceError naming ``name`` and the expected type."""
    ok, out = _coerce(field_type, value)
    if not ok:
        raise CoerceError(name, value, describe(field_type))
    return out


def describe(field_type: Any) -> str:
    """The type as people read it in an error: ``int``, ``one of 'sft', 'grpo'``, ``float or None``."""
    origin = typing.get_origin(field_type)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(field_type))
    if origin in (list, tuple):
        return "a list of names"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(a) for a in typing.get_args(field_type))
    if field_type is type(None):
        return "None"
    return getattr(field_type, "__name__", str(field_type))


def _coerce(hint: Any, value: Any) -> tuple[bool, Any]:
    origin = typing.get_origin(hint)
    if origin is Literal:
        return (value in typing.get_args(hint)), value
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            return False, value
        return True, list(value)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            ok, v = _coerce(arg, value)
            if ok:
                return True, v
        return False, value
    if hint is type(None):
        return value is None, value
    if hint is bool:
        if isinstance(value, bool):
            return True, value
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return True, value.strip().lower() in TRUE
        return False, value
    if hint is int:
        if isinstance(value, bool):
            return False, value
        if isinstance(value, int):
            return True, value
        if isinstance(value, float) and value.is_integer():  # a form's number field gives 3.0
            return True, int(value)
        if isinstance(value, str):
            try:
                return True, int(value.strip())
            except ValueError:
                return False, value
        return False, value
    if hint is float:
        if isinstance(value, bool):
            return False, value
        if isinstance(value, (int, float)):
            return True, float(value)
        if isinstance(value, str):
            try:
                return True, float(value.strip())
            except ValueError:
                return False, value
        return False, value
    if hint is str:
        return isinstance(value, str), value
    return True, value
