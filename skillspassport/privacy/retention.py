"""Which residents a retention rule covers, and when each was last active. Reads only.

A resident's last activity is the latest of: their registration and any change to their details
(`Resident.created_at`, `updated_at`, corrections), consent given or withdrawn, equality answers,
skills evidence recorded or withdrawn, credentials issued, referrals made or changed, job starts
and sustainment checks, training invitations, enrolments (requested, started, withdrawn,
finished) and attendance, and casework (a case opened or closed, goals, case notes, budget spends
requested or decided, devices issued or returned, placements). Looking at a record is not
activity: an audit event never keeps a record alive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from skillspassport.people.models import Resident
from skillspassport.privacy.models import RetentionRule, RetentionScope
from skillspassport.privacy.selectors import resident_reference
from skillspassport.support.models import Case

# (model, path to the resident, date or date-time field)
ACTIVITY_SOURCES: tuple[tuple[str, str, str], ...] = (
    ("people.Resident", "", "created_at"),
    ("people.Resident", "", "updated_at"),
    ("privacy.ResidentRevision", "resident", "changed_at"),
    ("people.ConsentRecord", "resident", "given_at"),
    ("people.ConsentRecord", "resident", "withdrawn_at"),
    ("people.EqualityMonitoring", "resident", "recorded_at"),
    ("skills.Evidence", "resident", "recorded_at"),
    ("skills.Evidence", "resident", "withdrawn_at"),
    ("credentials.IssuedCredential", "resident", "issued_at"),
    ("employers.Referral", "resident", "referred_at"),
    ("employers.Referral", "resident", "interviewed_on"),
    ("employers.Referral", "resident", "offered_on"),
    ("employers.Referral", "resident", "started_on"),
    ("employers.Referral", "resident", "withdrawn_at"),
    ("employers.JobStart", "resident", "recorded_at"),
    ("employers.SustainmentCheck", "job_start__resident", "checked_on"),
    ("training.Invitation", "resident", "invited_at"),
    ("training.Enrolment", "resident", "requested_at"),
    ("training.Enrolment", "resident", "enrolled_at"),
    ("training.Enrolment", "resident", "withdrawn_at"),
    ("training.Enrolment", "resident", "outcome_recorded_at"),
    ("training.Attendance", "enrolment__resident", "recorded_at"),
    ("support.Case", "resident", "created_at"),
    ("support.Case", "resident", "closed_on"),
    ("support.Goal", "case__resident", "created_at"),
    ("support.CaseNote", "case__resident", "written_at"),
    ("support.BudgetSpend", "ledger__resident", "requested_at"),
    ("support.BudgetSpend", "ledger__resident", "decided_at"),
    ("support.Device", "case__resident", "recorded_at"),
    ("support.Device", "case__resident", "returned_on"),
    ("support.Placement", "case__resident", "recorded_at"),
)


@dataclass(frozen=True)
class Candidate:
    resident_id: int
    public_id: str
    reference: str
    last_activity: datetime


def _as_moment(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    # A date counts as the end of that day, so a check on the day is never older than a note.
    return datetime.combine(value, time.max, tzinfo=timezone.get_current_timezone())


def rule_residents(rule: RetentionRule) -> QuerySet[Resident]:
    """The residents a rule covers: the council's and its partners', not yet erased."""
    residents = Resident.objects.filter(
        Q(organisation_id=rule.council_id) | Q(organisation__council_id=rule.council_id)
    ).filter(erasure__isnull=True)
    if rule.scope == RetentionScope.CLOSED_CASE_RESIDENTS:
        open_cases = Case.objects.filter(closed_on__isnull=True).values("resident_id")
        residents = residents.exclude(pk__in=open_cases)
    return residents


def last_activity(residents: QuerySet[Resident]) -> dict[int, datetime]:
    """Each resident's latest activity (see the module docstring)."""
    ids = residents.values("pk")
    latest: dict[int, datetime] = {}
    for label, path, field in ACTIVITY_SOURCES:
        model: Any = apps.get_model(label)
        key = path or "pk"
        rows = (
            model._base_manager.filter(**{f"{key}__in": ids})
            .exclude(**{f"{field}__isnull": True})
            .values(key)
            .annotate(latest=Max(field))
            .values_list(key, "latest")
        )
        for resident_id, moment in rows:
            if moment is None:
                continue
            moment = _as_moment(moment)
            if resident_id not in latest or moment > latest[resident_id]:
                latest[resident_id] = moment
    return latest


def cutoff(rule: RetentionRule, now: datetime) -> datetime:
    """Records last active before this moment are due for anonymisation."""
    local = timezone.localtime(now)
    try:
        return local.replace(year=local.year - rule.years)
    except ValueError:  # 29 February
        return local.replace(year=local.year - rule.years, day=28)


def candidates_for(*, rule: RetentionRule, now: datetime) -> list[Candidate]:
    """The residents `rule` would anonymise at `now`, longest inactive first."""
    residents = rule_residents(rule)
    limit = cutoff(rule, now)
    public_ids = dict(residents.values_list("pk", "public_id"))
    due = [
        (moment, pk)
        for pk, moment in last_activity(residents).items()
        if moment < limit and pk in public_ids
    ]
    return [
        Candidate(pk, str(public_ids[pk]), resident_reference(public_ids[pk]), moment)
        for moment, pk in sorted(due)
    ]
