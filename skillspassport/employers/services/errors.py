"""The one error the employer services raise for a request the rules do not allow."""

from __future__ import annotations


class EmployerError(Exception):
    """A request the rules do not allow; the message is written for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
