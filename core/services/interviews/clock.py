"""Interview time: every stored time is UTC; minutes late, counted from the time limit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.store.tables import InterviewRow


def _minutes_over(seconds: float) -> int:
    """Whole minutes past a deadline, at least one."""
    return max(1, round(seconds / 60))


def _late_minutes(row: InterviewRow) -> int | None:
    """How many minutes after its time limit a late interview was sent (None when never opened or sent)."""
    if row.submitted_at is None or row.opened_at is None:
        return None
    deadline = _aware(row.opened_at) + timedelta(minutes=row.time_limit_minutes)
    return _minutes_over((_aware(row.submitted_at) - deadline).total_seconds())


def _now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(timezone.utc)


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _when(value: datetime) -> str:
    """A stored time as the refusals show it."""
    return _aware(value).strftime("%Y-%m-%d %H:%M")
