from django.urls import path

from skillspassport.privacy import merge_views, views

app_name = "privacy"
urlpatterns = [
    path("residents/<uuid:public_id>/", views.resident_rights, name="resident"),
    path(
        "residents/<uuid:public_id>/subject-access",
        views.subject_access_document,
        name="subject-access",
    ),
    path(
        "residents/<uuid:public_id>/subject-access.json",
        views.subject_access_json,
        name="subject-access-json",
    ),
    path("residents/<uuid:public_id>/erase", views.resident_erase, name="erase"),
    path("merge/<uuid:public_id>/", merge_views.merge_choose, name="merge"),
    path(
        "merge/<uuid:public_id>/<uuid:other_id>",
        merge_views.merge_confirm,
        name="merge-confirm",
    ),
    path("retention/", views.retention_councils, name="retention"),
    path("retention/<int:council_id>/", views.retention_council, name="retention-council"),
    path("retention/<int:council_id>/add", views.retention_rule_add, name="rule-add"),
    path("retention/rules/<int:rule_id>/edit", views.retention_rule_edit, name="rule-edit"),
    path("retention/rules/<int:rule_id>/review", views.retention_review, name="rule-review"),
]
