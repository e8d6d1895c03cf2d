"""Bulk creation of synthetic residents with evidence, for the demo and the benchmarks.

`generate_batch` builds unsaved rows (the same keys the services compute); `write_batch`
stores them with bulk inserts and recomputes each passport through `passport_recompute`, so
stored levels are exactly what the product would have computed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.models import Postcode
from skillspassport.demo.names import (
    DEMO_TARGET_WEIGHTS,
    VERIFIED_METHODS,
    DemoPerson,
    demo_people,
    evidence_plan,
    pick_target,
)
from skillspassport.people.matching import fold
from skillspassport.people.models import ConsentPurpose, ConsentRecord, LawfulBasis, Resident
from skillspassport.people.selectors import email_key, name_key, phone_key
from skillspassport.skills.models import (
    Descriptor,
    Evidence,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
)
from skillspassport.skills.selectors import framework_spec
from skillspassport.skills.services import passport_recompute

LONDON = ZoneInfo("Europe/London")


@dataclass
class Batch:
    residents: list[Resident]
    consents: list[ConsentRecord]  # .resident set to the unsaved resident
    evidence: list[Evidence]
    # When each resident's last level-giving evidence was recorded (index as in residents).
    reached: list[datetime] = field(default_factory=list)


class SyntheticResidents:
    """A deterministic stream of synthetic residents with consent and evidence rows."""

    def __init__(
        self,
        *,
        organisation: Organisation,
        user: User,
        rule_set: LevelRuleSet,
        rng: random.Random,
        local_authority_code: str,
        today: date,
        count: int,
        evidence_extra: int = 2,
        target_weights: tuple[int, int, int, int] = DEMO_TARGET_WEIGHTS,
    ) -> None:
        rows = list(
            Postcode.objects.filter(local_authority_id=local_authority_code, is_live=True)
            .order_by("postcode")
            .values_list("postcode", "lsoa_id", "ward_id", "local_authority_id")
        )
        if not rows:
            raise LookupError(
                f"No postcodes loaded for {local_authority_code}: load reference data."
            )
        self.areas = {row[0]: row[1:] for row in rows}
        self.organisation, self.user, self.rule_set = organisation, user, rule_set
        self.rng, self.today, self.evidence_extra = rng, today, evidence_extra
        self.target_weights = target_weights
        self.spec = framework_spec(rule_set.framework)
        self.descriptor_ids = dict(
            Descriptor.objects.filter(framework=rule_set.framework).values_list("code", "id")
        )
        self.people: Iterator[DemoPerson] = demo_people(rng, list(self.areas), count, today)

    def batch(self, size: int) -> Batch:
        rng, user = self.rng, self.user
        out = Batch([], [], [])
        for person in (next(self.people) for _ in range(size)):
            lsoa, ward, la = self.areas[person.postcode]
            created = datetime.combine(
                self.today - timedelta(days=rng.randint(20, 540)), time(10), tzinfo=LONDON
            )
            resident = Resident(
                organisation=self.organisation,
                created_by=user,
                created_at=created,
                updated_at=created,
                lsoa_id=lsoa,
                ward_id=ward,
                local_authority_id=la,
                name_key=name_key(person.first_name, person.last_name),
                email_key=email_key(person.email),
                phone_key=phone_key(person.phone),
                last_name_key=fold(person.last_name).replace(" ", ""),
                **person.__dict__,
            )
            out.residents.append(resident)
            basis = rng.choice([LawfulBasis.CONSENT, LawfulBasis.PUBLIC_TASK])
            purposes = [(ConsentPurpose.SCHEME, basis)]
            if rng.random() < 0.8:
                purposes.append((ConsentPurpose.CONTACT, LawfulBasis.CONSENT))
            out.consents.extend(
                ConsentRecord(
                    resident=resident, purpose=p, lawful_basis=b, given_by=user, given_at=created
                )
                for p, b in purposes
            )
            needed, extra = evidence_plan(
                rng,
                self.spec,
                self.rule_set.rules,
                pick_target(rng, self.target_weights),
                extra=self.evidence_extra,
            )
            span = max((self.today - created.date()).days, 1)
            reached = created
            for code in [*needed, *extra]:
                self_assessed = code in extra and rng.random() < 0.3
                method = "self_assessed" if self_assessed else rng.choice(VERIFIED_METHODS)
                # The skills a level rests on are shown in the first months; extras any time.
                share = 0.5 if code in needed else 1.0
                offset = rng.randint(0, max(int(span * share), 0))
                shown = min(created.date() + timedelta(days=offset), self.today)
                if code in needed:
                    reached = max(reached, datetime.combine(shown, time(12), tzinfo=LONDON))
                out.evidence.append(
                    Evidence(
                        resident=resident,
                        descriptor_id=self.descriptor_ids[code],
                        method=method,
                        shown_on=shown,
                        recorded_by=user,
                        recorded_at=datetime.combine(shown, time(12), tzinfo=LONDON),
                    )
                )
            out.reached.append(reached)
        return out


def write_batch(batch: Batch, *, recompute: bool = True) -> list[int]:
    """Store a batch in one transaction; returns the residents' ids."""
    with transaction.atomic():
        Resident.objects.bulk_create(batch.residents, batch_size=1000)
        ConsentRecord.objects.bulk_create(batch.consents, batch_size=2000)
        Evidence.objects.bulk_create(batch.evidence, batch_size=2000)
        if recompute:
            for resident in batch.residents:
                passport_recompute(resident=resident, cause="synthetic data")
            _date_levels(batch)
    return [r.pk for r in batch.residents]


def _date_levels(batch: Batch) -> None:
    """Synthetic levels were reached when the evidence they rest on was recorded, not at
    seeding time, so that history by period (and reports) look like a running scheme."""
    for resident, reached in zip(batch.residents, batch.reached, strict=True):
        PassportLevelChange.objects.filter(resident_id=resident.pk).update(changed_at=reached)
        PassportLevel.objects.filter(resident_id=resident.pk).exclude(level="").update(
            since=reached
        )


def seed_residents(
    *,
    count: int,
    batch_size: int = 2000,
    recompute: bool = True,
    progress: Callable[[int], None] | None = None,
    **stream_options: object,
) -> list[int]:
    """Create `count` synthetic residents; returns their ids."""
    stream = SyntheticResidents(count=count, **stream_options)  # type: ignore[arg-type]
    ids: list[int] = []
    while len(ids) < count:
        size = min(batch_size, count - len(ids))
        ids += write_batch(stream.batch(size), recompute=recompute)
        if progress is not None:
            progress(size)
    return ids
