"""Writes about training: courses, cohorts and sessions (courses), changing and cancelling
cohorts and deleting sessions (cohorts), enrolment, the waiting list and invitations
(enrolment), attendance and completion, which records verified evidence (outcomes)."""

from skillspassport.training.services.cohorts import cohort_cancel, cohort_update, session_delete
from skillspassport.training.services.courses import (
    EARLIEST_YEARS_AGO,
    LATEST_YEARS_AHEAD,
    MAX_WEEKS,
    cohort_create,
    course_save,
    sessions_add,
)
from skillspassport.training.services.enrolment import (
    enrolment_create,
    enrolment_withdraw,
    invitations_send,
)
from skillspassport.training.services.errors import TrainingError
from skillspassport.training.services.outcomes import (
    BulkCompletion,
    attendance_record,
    enrolment_complete,
    enrolment_not_complete,
    enrolments_complete,
    training_policy_set,
)

__all__ = [
    "EARLIEST_YEARS_AGO",
    "LATEST_YEARS_AHEAD",
    "MAX_WEEKS",
    "BulkCompletion",
    "TrainingError",
    "attendance_record",
    "cohort_cancel",
    "cohort_create",
    "cohort_update",
    "course_save",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_not_complete",
    "enrolment_withdraw",
    "enrolments_complete",
    "invitations_send",
    "session_delete",
    "sessions_add",
    "training_policy_set",
]
