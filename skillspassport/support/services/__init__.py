"""Writes about casework: a case, its action plan and notes (cases), personal budgets (budget),
devices (devices), work placements (placements), and job starts with their sustainment checks
(jobs). Every write a caller needs is importable from here."""

from skillspassport.support.services.budget import (
    budget_policy_set,
    budget_spend_cancel,
    budget_spend_decide,
    budget_spend_record,
)
from skillspassport.support.services.cases import (
    CaseworkError,
    case_close,
    case_note_add,
    case_open,
    case_update,
    goal_add,
    goal_set_status,
    goal_update,
)
from skillspassport.support.services.devices import device_record, device_return, device_update
from skillspassport.support.services.jobs import case_job_start_record, case_sustainment_record
from skillspassport.support.services.placements import placement_record, placement_set_outcome

__all__ = [
    "CaseworkError",
    "budget_policy_set",
    "budget_spend_cancel",
    "budget_spend_decide",
    "budget_spend_record",
    "case_close",
    "case_job_start_record",
    "case_note_add",
    "case_open",
    "case_sustainment_record",
    "case_update",
    "device_record",
    "device_return",
    "device_update",
    "goal_add",
    "goal_set_status",
    "goal_update",
    "placement_record",
    "placement_set_outcome",
]
