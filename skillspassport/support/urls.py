from django.urls import URLPattern, URLResolver, path, re_path

from skillspassport.support import views

app_name = "support"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.caseload, name="caseload"),
    re_path(
        r"^caseload\.(?P<file_format>csv|xlsx)$", views.caseload_export, name="caseload-export"
    ),
    re_path(
        r"^referrals\.(?P<file_format>csv|xlsx)$", views.referrals_export, name="referrals-export"
    ),
    path("residents/<uuid:public_id>/open", views.case_open, name="case-open"),
    path("cases/<uuid:public_id>/", views.case_detail, name="case"),
    path("cases/<uuid:public_id>/edit", views.case_edit, name="case-edit"),
    path("cases/<uuid:public_id>/goals/add", views.goal_add, name="goal-add"),
    path(
        "cases/<uuid:public_id>/goals/<int:goal_id>/status", views.goal_status, name="goal-status"
    ),
    path("cases/<uuid:public_id>/goals/<int:goal_id>/edit", views.goal_edit, name="goal-edit"),
    path("cases/<uuid:public_id>/notes/add", views.note_add, name="note-add"),
    path("cases/<uuid:public_id>/close", views.case_close, name="case-close"),
    path("cases/<uuid:public_id>/spends/add", views.spend_add, name="spend-add"),
    path(
        "cases/<uuid:public_id>/spends/<int:spend_id>/cancel",
        views.spend_cancel,
        name="spend-cancel",
    ),
    path("cases/<uuid:public_id>/devices/add", views.device_add, name="device-add"),
    path(
        "cases/<uuid:public_id>/devices/<int:device_id>/return",
        views.device_return,
        name="device-return",
    ),
    path(
        "cases/<uuid:public_id>/devices/<int:device_id>/edit",
        views.device_edit,
        name="device-edit",
    ),
    path("cases/<uuid:public_id>/placements/add", views.placement_add, name="placement-add"),
    path(
        "cases/<uuid:public_id>/placements/<int:placement_id>/outcome",
        views.placement_outcome,
        name="placement-outcome",
    ),
    path("cases/<uuid:public_id>/job-starts/add", views.job_start_add, name="job-start-add"),
    path("receipts/<int:spend_id>", views.receipt_download, name="receipt"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:spend_id>", views.approval_decide, name="approval-decide"),
    path("budget-policy", views.budget_policy, name="budget-policy"),
    path("sustainment/", views.checks_due, name="checks-due"),
    path("sustainment/<int:check_id>", views.check_record, name="check-record"),
]
