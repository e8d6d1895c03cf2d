"""Training pages: courses, cohorts, enrolment, registers, outcomes, the adviser's view of a
resident's training, and programmes planned for a targeting plan's areas."""

from skillspassport.training.views.cohorts import (
    cohort_create,
    cohort_detail,
    course_create,
    course_edit,
    index,
    sessions_add,
)
from skillspassport.training.views.learners import enrol, outcome, register, withdraw
from skillspassport.training.views.residents import learner, plan_programme, resident_training

__all__ = [
    "cohort_create",
    "cohort_detail",
    "course_create",
    "course_edit",
    "enrol",
    "index",
    "learner",
    "outcome",
    "plan_programme",
    "register",
    "resident_training",
    "sessions_add",
    "withdraw",
]
