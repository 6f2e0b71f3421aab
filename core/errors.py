"""The product's errors: every one derives from :class:`LocalizedError` (core.messages), the root that carries
the message (``str()`` in English for logs and the CLI, ``text(lang)`` in the reader's language), so a front end
catches that one type where it means "an input or a setting the user can fix".

Here live the errors shared by modules that must not import each other (profiles and the engines that read them).
"""

from __future__ import annotations

from core.messages import LocalizedError

__all__ = ["LocalizedError", "ProfileError"]


class ProfileError(LocalizedError):
    """A model profile that does not exist, does not parse, or cannot do what was asked."""

    def __str__(self) -> str:
        return str(self.args[0])
