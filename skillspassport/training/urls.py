from django.urls import path, re_path

from skillspassport.training import exports, views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course-edit"),
    path("courses/<int:course_id>/cohorts/new/", views.cohort_create, name="cohort-create"),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("policy/", views.training_policy, name="policy"),
    path("cohorts/<int:cohort_id>/edit/", views.cohort_edit, name="cohort-edit"),
    path("cohorts/<int:cohort_id>/cancel/", views.cohort_cancel, name="cohort-cancel"),
    path("cohorts/<int:cohort_id>/complete/", views.complete_many, name="complete-many"),
    path("cohorts/<int:cohort_id>/sessions/", views.sessions_add, name="sessions-add"),
    path(
        "cohorts/<int:cohort_id>/sessions/<int:session_id>/delete/",
        views.session_delete,
        name="session-delete",
    ),
    re_path(
        r"^cohorts/(?P<cohort_id>[0-9]+)/register\.(?P<file_format>csv|xlsx)$",
        exports.register_export,
        name="register-export",
    ),
    path("cohorts/<int:cohort_id>/enrol/", views.enrol, name="enrol"),
    path(
        "cohorts/<int:cohort_id>/sessions/<int:session_id>/register/",
        views.register,
        name="register",
    ),
    path(
        "cohorts/<int:cohort_id>/learners/<int:enrolment_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "cohorts/<int:cohort_id>/learners/<int:enrolment_id>/outcome/",
        views.outcome,
        name="outcome",
    ),
    path("residents/<uuid:public_id>/", views.resident_training, name="resident"),
    path("learners/<uuid:public_id>/", views.learner, name="learner"),
    path("plans/<int:plan_id>/", views.plan_programme, name="plan"),
]
