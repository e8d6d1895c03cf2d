"""Create the demo scheme: Sefton Council and partners, one user per role, ~500 residents."""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from skillspassport.credentials.services import (
    api_client_create,
    credential_issue,
    credential_issue_for_client,
    share_link_create,
)
from skillspassport.credentials.vc.contexts import CREDENTIALS_V2, OPEN_BADGES_V3
from skillspassport.demo import employers as employers_demo
from skillspassport.demo import funding as funding_demo
from skillspassport.demo import support as support_demo
from skillspassport.demo import training as training_demo
from skillspassport.demo.seeding import seed_residents
from skillspassport.people import equality
from skillspassport.people.models import EqualityMonitoring
from skillspassport.skills.models import CouncilScheme, PassportLevel
from skillspassport.skills.selectors import rule_set_for_organisation

DEMO_PASSWORD = "demo-passport-2026"  # noqa: S105 - published demo credential
PRODUCTION_SETTINGS = "config.settings.production"
SEFTON = "E08000014"
KNOWSLEY = "E08000011"

ORGANISATIONS = [
    ("Sefton Council", OrganisationKind.COUNCIL, None, SEFTON),
    ("Sefton Community Learning Service", OrganisationKind.PROVIDER, "Sefton Council", ""),
    ("Bootle Jobcentre", OrganisationKind.JOBCENTRE, "Sefton Council", ""),
    ("Sefton CVS Digital Hub", OrganisationKind.VOLUNTARY, "Sefton Council", ""),
    ("Dockside Logistics Ltd", OrganisationKind.EMPLOYER, "Sefton Council", ""),
    ("Knowsley Council", OrganisationKind.COUNCIL, None, KNOWSLEY),
]

USERS = [
    ("admin@sefton.demo", "Aisha Rahman", Role.ADMINISTRATOR, "Sefton Council"),
    ("adviser@sefton.demo", "Dan Molyneux", Role.ADVISER, "Sefton Council"),
    ("tutor@sefton.demo", "Grace Okafor", Role.TUTOR, "Sefton Community Learning Service"),
    ("employer@sefton.demo", "Priya Shah", Role.EMPLOYER_CONTACT, "Dockside Logistics Ltd"),
    ("analyst@sefton.demo", "Tom Brennan", Role.ANALYST, "Sefton Council"),
    ("councillor@sefton.demo", "Cllr Jean Kelly", Role.COUNCILLOR, "Sefton Council"),
    ("viewer@sefton.demo", "Chris Lunt", Role.VIEWER, "Sefton Council"),
    ("adviser@knowsley.demo", "Sam Doherty", Role.ADVISER, "Knowsley Council"),
    ("admin@knowsley.demo", "Joe Whitfield", Role.ADMINISTRATOR, "Knowsley Council"),
    ("manager@sefton.demo", "Nadia Hussain", Role.PROGRAMME_MANAGER, "Sefton Council"),
    ("assessor@sefton.demo", "Niamh Walsh", Role.PROGRAMME_MANAGER, "Sefton Council"),
]


class Command(BaseCommand):
    help = "Create demo organisations, users and synthetic residents (skipped if present)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, residents: int, seed: int, **options: Any) -> None:
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError(
                "seed_demo creates demo users with a published password, so it does not run "
                f"with the production settings ({PRODUCTION_SETTINGS}). Use "
                "config.settings.local for a demo."
            )
        if Organisation.objects.filter(name="Sefton Council").exists():
            self.stdout.write("Demo data already present.")
        else:
            self._create(residents, seed)
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for email, name, role, org in USERS:
            self.stdout.write(f"  {email:24} {role.label:18} {name}, {org}")

    @transaction.atomic
    def _create(self, count: int, seed: int) -> None:
        rng = random.Random(seed)
        orgs: dict[str, Organisation] = {}
        for org_name, kind, parent, la in ORGANISATIONS:
            orgs[org_name] = Organisation.objects.create(
                name=org_name, kind=kind, council=orgs.get(parent or ""), local_authority_code=la
            )
        users = {}
        for email, name, role, org_name in USERS:
            # Never staff or superusers: administrators manage their council in the app; the
            # Django admin is for platform operators (manage.py platform_operator_create).
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
            Membership.objects.create(user=user, organisation=orgs[org_name], role=role)
            users[email] = user
        council = orgs["Sefton Council"]
        rule_set = rule_set_for_organisation(organisation=council)
        CouncilScheme.objects.create(council=council, rule_set=rule_set)
        today = timezone.localdate()
        plan = [
            (council, users["adviser@sefton.demo"], SEFTON, int(count * 0.84)),
            (
                orgs["Sefton Community Learning Service"],
                users["tutor@sefton.demo"],
                SEFTON,
                int(count * 0.12),
            ),
            (
                orgs["Knowsley Council"],
                users["adviser@knowsley.demo"],
                KNOWSLEY,
                count - int(count * 0.84) - int(count * 0.12),
            ),
        ]
        created: list[int] = []
        for organisation, user, la, n in plan:
            created += seed_residents(
                organisation=organisation,
                user=user,
                rule_set=rule_set,
                count=n,
                rng=rng,
                local_authority_code=la,
                today=today,
            )
        self._equality(rng, created, users["adviser@sefton.demo"])
        issued = self._credentials(rng, created, users["adviser@sefton.demo"])
        issued += self._api_client(council, users["admin@sefton.demo"])
        training_demo.seed(
            rng=rng, council=council, orgs=orgs, users=users, resident_ids=created, today=today
        )
        employers_demo.seed(
            rng=random.Random(seed + 5),
            council=council,
            adviser=users["adviser@sefton.demo"],
            employer_contact=users["employer@sefton.demo"],
            today=today,
        )
        support_demo.seed(
            rng=rng, council=council, orgs=orgs, users=users, residents=created, today=today
        )
        funding_demo.seed(
            rng=random.Random(seed + 7),
            council=council,
            orgs=orgs,
            users=users,
            resident_ids=created,
            today=today,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(created)} demo residents and issued {issued} credentials."
            )
        )

    def _credentials(self, rng: random.Random, resident_ids: list[int], user: User) -> int:
        """Signed credentials for some Sefton residents who hold levels; a few shared."""
        held = (
            PassportLevel.objects.filter(
                resident_id__in=resident_ids,
                resident__organisation__name="Sefton Council",
                strand_code__in=["overall", "digital"],
            )
            .exclude(level="")
            .select_related("resident__organisation")
            .order_by("resident_id", "strand_code")
        )
        issued = 0
        for level in held:
            if rng.random() > 0.25:
                continue
            credential = credential_issue(
                resident=level.resident, strand_code=level.strand_code, user=user
            )
            if rng.random() < 0.3:
                share_link_create(user=user, credential=credential)
            issued += 1
        return issued

    def _api_client(self, council: Organisation, admin: User) -> int:
        """The learning service's records system as an API client, with one badge it issued.

        Its secret is not printed: the demo shows the list; an administrator can replace the
        secret to try the API."""
        client, _secret = api_client_create(
            council=council,
            name="Community Learning Service records",
            allowed_awards=["digital:bronze", "digital:silver"],
            user=admin,
        )
        credential_issue_for_client(
            client=client,
            credential={
                "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "credentialSubject": {
                    "type": ["AchievementSubject"],
                    "id": "urn:uuid:6f1d3c2a-8a57-4f0e-9b7e-2d4c5a1e9f30",
                    "achievement": {
                        "id": f"{settings.SITE_URL}/framework/#achievement-digital-bronze"
                    },
                },
            },
        )
        return 1

    def _equality(self, rng: random.Random, resident_ids: list[int], user: User) -> None:
        rows = []
        for resident_id in resident_ids:
            if rng.random() > 0.7:
                continue
            answers = {}
            for field, _question, choices in equality.QUESTIONS:
                options = list(choices.values)
                answers[field] = "" if rng.random() < 0.05 else rng.choice(options)
            rows.append(EqualityMonitoring(resident_id=resident_id, recorded_by=user, **answers))
        EqualityMonitoring.objects.bulk_create(rows)
