from django.urls import path

from skillspassport.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.index, name="index"),
    path("funds/new/", views.fund_create, name="fund-create"),
    path("funds/<int:fund_id>/", views.fund_detail, name="fund"),
    path("funds/<int:fund_id>/proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/assessors/", views.assessor_assign, name="assessor-assign"),
    path("proposals/<int:proposal_id>/project/", views.project_create, name="project-create"),
    path("proposals/<int:proposal_id>/decide/", views.proposal_decide, name="proposal-decide"),
    path("proposals/<int:proposal_id>/confirm/", views.proposal_confirm, name="proposal-confirm"),
    path("proposals/<int:proposal_id>/reverse/", views.proposal_reverse, name="proposal-reverse"),
    path("assessments/", views.my_assessments, name="my-assessments"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/spend/", views.spend_record, name="spend"),
    path("projects/<int:project_id>/agreement/", views.agreement_record, name="agreement"),
    path(
        "projects/<int:project_id>/milestones/<int:milestone_id>/complete/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path(
        "projects/<int:project_id>/outputs/<slug:measure>/",
        views.output_records,
        name="outputs",
    ),
]
