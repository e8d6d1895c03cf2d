"""Cross-cutting writes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from skillspassport.core.models import FormSubmission

if TYPE_CHECKING:  # the user model (AUTH_USER_MODEL) lives in accounts, above core
    from skillspassport.accounts.models import User


class AlreadySubmitted(Exception):  # noqa: N818 - it is a signal, not a failure
    def __init__(self, result_url: str) -> None:
        super().__init__(result_url)
        self.result_url = result_url


def submission_result(*, token: uuid.UUID, user: User) -> str | None:
    """Where the first submission of this form token went, if it has been submitted."""
    return (
        FormSubmission.objects.filter(token=token, user=user)
        .values_list("result_url", flat=True)
        .first()
    )


@contextmanager
def submitted_once(*, token: uuid.UUID, user: User) -> Iterator[FormSubmission]:
    """Run the block once per form token, in one transaction with the claim.

    Raises AlreadySubmitted (with the first submission's result URL) if the token was used.
    The block should set `claim.result_url`.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token, user=user).first()
            raise AlreadySubmitted(earlier.result_url if earlier else "/") from None
        yield claim
        claim.save(update_fields=["result_url"])
