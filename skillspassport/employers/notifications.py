"""What employers are told, by email after the change commits. No resident is named: the
contact signs in to see who was referred (they may see only residents referred to them)."""

from __future__ import annotations

from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.accounts.selectors import member_emails
from skillspassport.background.services import absolute_url, notify
from skillspassport.employers.models import Referral


def referral_made(referral: Referral) -> None:
    opportunity = referral.opportunity
    link = absolute_url(reverse("employers:referral", args=[referral.pk]))
    for to in member_emails(organisation_id=opportunity.employer_id, roles=[Role.EMPLOYER_CONTACT]):
        notify(
            kind="employers.referral_made",
            to=to,
            council=opportunity.employer.scheme_council,
            subject=f"A candidate has been put forward for {opportunity.title}",
            body=(
                f"An employment adviser has put forward a candidate for {opportunity.title}.\n\n"
                "Their Skills Passport meets the levels the opportunity asks for. Sign in to "
                f"see who they are and to record what happens next:\n{link}\n\n"
                "You are getting this email because you are a contact for "
                f"{opportunity.employer} in the Skills Passport scheme."
            ),
        )
