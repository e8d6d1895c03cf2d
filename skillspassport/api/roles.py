"""The roles a partner API client's account may hold."""

from __future__ import annotations

from skillspassport.accounts.models import OrganisationKind, Role

# The role a client's account holds when none is chosen, by the kind of organisation.
DEFAULT_ROLES: dict[str, str] = {
    OrganisationKind.PROVIDER: Role.TUTOR,
    OrganisationKind.VOLUNTARY: Role.TUTOR,
    OrganisationKind.JOBCENTRE: Role.ADVISER,
    OrganisationKind.COUNCIL: Role.ADVISER,
    OrganisationKind.EMPLOYER: Role.EMPLOYER_CONTACT,
}

# Roles a client's account may hold: never administration, equality answers or the audit log.
CLIENT_ROLES = (Role.TUTOR, Role.ADVISER, Role.EMPLOYER_CONTACT, Role.VIEWER)
