"""Writes about training: courses, cohorts and sessions (courses), enrolment, the waiting
list and invitations (enrolment), attendance and completion, which records verified evidence
(outcomes)."""

from skillspassport.training.services.courses import (
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
    attendance_record,
    enrolment_complete,
    enrolment_not_complete,
)

__all__ = [
    "MAX_WEEKS",
    "TrainingError",
    "attendance_record",
    "cohort_create",
    "course_save",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_not_complete",
    "enrolment_withdraw",
    "invitations_send",
    "sessions_add",
]
