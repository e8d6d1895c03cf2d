"""Casework rules: one open case, append-only notes, budget cap and approval, devices,
placements, job starts with their sustainment checks."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers.models import SustainmentCheck
from skillspassport.support import services
from skillspassport.support.models import (
    BudgetLedger,
    BudgetPolicy,
    BudgetSpend,
    Case,
    CaseNote,
    Device,
    SpendStatus,
)
from skillspassport.support.services import CaseworkError


def actions(resident):
    return list(
        AuditEvent.objects.filter(resident=resident).order_by("id").values_list("action", flat=True)
    )


def spend(case, actor, amount, **kwargs):
    return services.budget_spend_record(
        actor=actor,
        case=case,
        category=kwargs.pop("category", "travel"),
        amount=Decimal(amount),
        description=kwargs.pop("description", "Bus pass"),
        spent_on=case.opened_on,
        **kwargs,
    )


class TestCases:
    def test_open_creates_ledger_and_audits(self, case, resident):
        assert case.is_open
        assert case.organisation == resident.organisation
        assert BudgetLedger.objects.filter(resident=resident).exists()
        assert AuditAction.CASE_OPENED in actions(resident)

    def test_only_one_open_case_per_resident_per_organisation(self, case, adviser, today):
        with pytest.raises(CaseworkError, match="already has an open case"):
            services.case_open(
                actor=adviser,
                resident=case.resident,
                referral_source="self",
                referred_on=today,
                referring_organisation="Self",
                opened_on=today,
            )
        assert Case.objects.filter(resident=case.resident).count() == 1

    def test_database_refuses_a_second_open_case(self, case, adviser, today):
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(
                resident=case.resident,
                organisation=case.organisation,
                adviser=adviser,
                referral_source="self",
                referred_on=today,
                referring_organisation="Self",
                opened_on=today,
                opened_by=adviser,
            )

    def test_close_then_open_again(self, case, adviser, today):
        services.case_close(actor=adviser, case=case, outcome="training", closed_on=today)
        case.refresh_from_db()
        assert case.closed_on == today
        assert case.outcome == "training"
        again = services.case_open(
            actor=adviser,
            resident=case.resident,
            referral_source="self",
            referred_on=today,
            referring_organisation="Self-referral",
            opened_on=today,
        )
        assert again.is_open
        assert AuditAction.CASE_CLOSED in actions(case.resident)

    def test_cannot_close_before_it_opened(self, case, adviser):
        with pytest.raises(CaseworkError, match="on or after"):
            services.case_close(
                actor=adviser, case=case, outcome="other", closed_on=case.opened_on - timedelta(1)
            )

    def test_closed_case_takes_no_more_goals(self, case, adviser, today):
        services.case_close(actor=adviser, case=case, outcome="moved_away", closed_on=today)
        case.refresh_from_db()
        with pytest.raises(CaseworkError, match="closed"):
            services.goal_add(actor=adviser, case=case, text="CV", target_on=today)

    def test_cannot_close_with_spends_awaiting(self, case, adviser, today):
        spend(case, adviser, "150.00")
        with pytest.raises(CaseworkError, match="awaiting approval"):
            services.case_close(actor=adviser, case=case, outcome="other", closed_on=today)

    def test_notes_are_append_only(self, case, adviser):
        note = services.case_note_add(actor=adviser, case=case, text="Met at the hub.")
        assert AuditAction.CASE_NOTE_ADDED in actions(case.resident)
        note.text = "changed"
        with pytest.raises(PermissionError):
            note.save()
        with pytest.raises(PermissionError):
            CaseNote.objects.filter(pk=note.pk).update(text="changed")
        with pytest.raises(PermissionError):
            CaseNote.objects.filter(pk=note.pk).delete()
        assert CaseNote.objects.get(pk=note.pk).text == "Met at the hub."

    def test_goal_status_and_update_are_audited(self, case, adviser, staff, today):
        goal = services.goal_add(actor=adviser, case=case, text="Update CV", target_on=today)
        services.goal_set_status(actor=adviser, goal=goal, status="achieved")
        services.case_update(
            actor=adviser, case=case, adviser=staff["administrator"], next_review_on=today
        )
        case.refresh_from_db()
        assert case.adviser == staff["administrator"]
        assert actions(case.resident).count(AuditAction.CASE_UPDATED) == 3


class TestBudget:
    def test_at_threshold_is_approved_above_waits(self, case, adviser):
        assert spend(case, adviser, "100.00").status == SpendStatus.APPROVED
        assert spend(case, adviser, "100.01").status == SpendStatus.AWAITING
        assert AuditAction.BUDGET_SPEND_RECORDED in actions(case.resident)

    def test_cap_counts_approved_and_awaiting(self, case, adviser):
        spend(case, adviser, "100.00")
        spend(case, adviser, "350.00")
        with pytest.raises(CaseworkError, match=r"£50.00 or less.*cap is £500.00"):
            spend(case, adviser, "50.01")
        assert spend(case, adviser, "50.00").status == SpendStatus.APPROVED
        assert BudgetSpend.objects.count() == 3

    def test_refused_and_cancelled_spends_free_the_budget(self, case, adviser, staff):
        awaiting = spend(case, adviser, "400.00")
        services.budget_spend_decide(
            actor=staff["programme_manager"], spend=awaiting, approve=False, note="Too much"
        )
        approved = spend(case, adviser, "100.00")
        services.budget_spend_cancel(actor=adviser, spend=approved)
        assert spend(case, adviser, "100.00").status == SpendStatus.APPROVED
        assert spend(case, adviser, "400.00").status == SpendStatus.AWAITING

    def test_council_policy_is_data(self, case, adviser, council):
        BudgetPolicy.objects.create(
            council=council, cap=Decimal("200.00"), approval_threshold=Decimal("20.00")
        )
        assert spend(case, adviser, "25.00").status == SpendStatus.AWAITING
        with pytest.raises(CaseworkError, match=r"£175\.00 or less"):
            spend(case, adviser, "175.01")

    def test_the_requester_cannot_approve(self, case, staff):
        admin = staff["administrator"]
        mine = spend(case, admin, "300.00")
        with pytest.raises(CaseworkError, match="Someone other than"):
            services.budget_spend_decide(actor=admin, spend=mine, approve=True)
        mine.refresh_from_db()
        assert mine.status == SpendStatus.AWAITING

    def test_database_refuses_self_approval(self, case, staff):
        admin = staff["administrator"]
        mine = spend(case, admin, "300.00")
        mine.decided_by = admin
        with pytest.raises(IntegrityError), transaction.atomic():
            mine.save()

    def test_decided_once(self, case, adviser, staff):
        awaiting = spend(case, adviser, "300.00")
        services.budget_spend_decide(actor=staff["programme_manager"], spend=awaiting, approve=True)
        with pytest.raises(CaseworkError, match="already been approved"):
            services.budget_spend_decide(
                actor=staff["administrator"], spend=awaiting, approve=False
            )
        assert AuditAction.BUDGET_SPEND_DECIDED in actions(case.resident)

    def test_amount_must_be_positive(self, case, adviser):
        with pytest.raises(CaseworkError):
            spend(case, adviser, "0")
        assert not BudgetSpend.objects.exists()

    def test_threshold_above_cap_refused(self, council, adviser):
        with pytest.raises(CaseworkError):
            services.budget_policy_set(
                actor=adviser, council=council, cap=Decimal("10"), approval_threshold=Decimal("20")
            )


class TestDevicesPlacementsJobs:
    def test_gift_has_no_due_date_and_is_audited(self, case, adviser, hub, today):
        device = services.device_record(
            actor=adviser,
            case=case,
            hub=hub,
            kind="laptop",
            serial="SN123",
            issued_on=today,
            arrangement="gifted",
            due_back_on=today + timedelta(days=30),
        )
        assert device.due_back_on is None
        assert AuditAction.DEVICE_RECORDED in actions(case.resident)
        with pytest.raises(CaseworkError, match="gifted"):
            services.device_return(actor=adviser, device=device, returned_on=today, condition="")

    def test_lent_device_returned(self, case, adviser, hub, today):
        device = services.device_record(
            actor=adviser,
            case=case,
            hub=hub,
            kind="data_sim",
            serial="8944000000000000001",
            issued_on=today - timedelta(days=5),
            arrangement="lent",
            due_back_on=today + timedelta(days=30),
        )
        with pytest.raises(CaseworkError, match="on or after"):
            services.device_return(
                actor=adviser, device=device, returned_on=today - timedelta(days=6), condition=""
            )
        services.device_return(actor=adviser, device=device, returned_on=today, condition="Good")
        assert Device.objects.get(pk=device.pk).returned_on == today

    def test_placement_dates_and_wage(self, case, adviser, employer, today):
        common = {
            "actor": adviser,
            "case": case,
            "employer": employer,
            "employer_name": "",
            "role_title": "Warehouse assistant",
            "weeks": 8,
            "hours_per_week": Decimal("16"),
        }
        with pytest.raises(CaseworkError, match="end date"):
            services.placement_record(
                **common, hourly_wage=Decimal("12.21"), starts_on=today, ends_on=today
            )
        with pytest.raises(CaseworkError, match="wage"):
            services.placement_record(
                **common, hourly_wage=Decimal("0"), starts_on=today, ends_on=today + timedelta(1)
            )
        placement = services.placement_record(
            **common,
            hourly_wage=Decimal("12.21"),
            starts_on=today,
            ends_on=today + timedelta(weeks=8),
        )
        assert placement.employer_name == "Dockside Logistics Ltd"
        assert AuditAction.PLACEMENT_RECORDED in actions(case.resident)

    def test_job_start_schedules_checks_which_are_recorded_once(self, case, adviser, today):
        link = services.case_job_start_record(
            actor=adviser,
            case=case,
            employer=None,
            employer_name="Bootle Bakery",
            role_title="Baker",
            contract="permanent",
            started_on=today,
            hours_per_week=Decimal("30"),
            hourly_wage=Decimal("12.50"),
        )
        checks = list(link.job_start.checks.order_by("weeks"))
        assert [c.weeks for c in checks] == [13, 26]
        assert checks[0].due_on == today + timedelta(weeks=13)
        due = checks[0].due_on
        services.case_sustainment_record(
            actor=adviser, check=checks[0], outcome="in_work", checked_on=due, today=due
        )
        assert SustainmentCheck.objects.get(pk=checks[0].pk).outcome == "in_work"
        with pytest.raises(CaseworkError, match="already recorded"):
            services.case_sustainment_record(
                actor=adviser, check=checks[0], outcome="not_in_work", checked_on=today
            )

    def test_job_start_not_before_the_case(self, case, adviser):
        with pytest.raises(CaseworkError, match="on or after"):
            services.case_job_start_record(
                actor=adviser,
                case=case,
                employer=None,
                employer_name="Bootle Bakery",
                role_title="Baker",
                contract="permanent",
                started_on=case.opened_on - timedelta(days=1),
                hours_per_week=Decimal("30"),
                hourly_wage=None,
            )
