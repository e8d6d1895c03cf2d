"""Training pages: courses, cohorts, enrolment, registers, outcomes, the adviser's view of a
resident's training, and programmes planned for a targeting plan's areas."""

from skillspassport.training.views.cohorts import (
    cohort_cancel,
    cohort_create,
    cohort_detail,
    cohort_edit,
    course_create,
    course_edit,
    index,
    session_delete,
    sessions_add,
)
from skillspassport.training.views.learners import (
    complete_many,
    enrol,
    outcome,
    register,
    withdraw,
)
from skillspassport.training.views.policy import training_policy
from skillspassport.training.views.residents import learner, plan_programme, resident_training

__all__ = [
    "cohort_cancel",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "complete_many",
    "course_create",
    "course_edit",
    "enrol",
    "index",
    "learner",
    "outcome",
    "plan_programme",
    "register",
    "resident_training",
    "session_delete",
    "sessions_add",
    "training_policy",
    "withdraw",
]
