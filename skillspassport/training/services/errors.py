"""The one error the training services raise."""

from __future__ import annotations


class TrainingError(Exception):
    """A request the training rules refuse; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
