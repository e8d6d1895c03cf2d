"""A resident who gave an email is sent their share link, once, after it is made."""

import pytest
from django.core import mail

from skillspassport.background.testing import drain
from skillspassport.credentials.services import credential_issue, share_link_create

pytestmark = pytest.mark.django_db


def test_the_resident_is_sent_their_share_link(
    bronze_resident, adviser, django_capture_on_commit_callbacks
):
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    with django_capture_on_commit_callbacks(execute=True):
        token = share_link_create(user=adviser, credential=issued)
        share_link_create(user=adviser, credential=issued)  # the same link again: no new email
    drain()
    assert [m.to for m in mail.outbox] == [["kerry@example.org"]]
    body = mail.outbox[0].body
    assert f"/c/{token}/" in body
    issued.refresh_from_db()
    assert issued.share_withdraw_token not in body  # the private stop-sharing link stays private


def test_no_email_for_a_resident_without_one(
    bronze_resident, adviser, django_capture_on_commit_callbacks
):
    bronze_resident.email = ""
    bronze_resident.save()
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    with django_capture_on_commit_callbacks(execute=True):
        share_link_create(user=adviser, credential=issued)
    drain()
    assert mail.outbox == []
