"""Counting conventions the law leaves open, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """`count_exit_day`: both the entry and the exit day are days of stay (the Schengen convention,
    brief s.2, U). With False, the exit day is not counted unless it is also the entry day."""

    count_exit_day: bool = True


DEFAULT_SETTINGS = Settings()
