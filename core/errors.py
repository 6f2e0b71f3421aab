"""Errors shared by modules that must not import each other (profiles and the engines that read them)."""

from __future__ import annotations


class ProfileError(KeyError):
    """A model profile that does not exist, does not parse, or cannot do what was asked."""

    def __str__(self) -> str:
        return str(self.args[0])
