from django.urls import path, re_path

from skillspassport.employers import views

app_name = "employers"

urlpatterns = [
    path("", views.employer_list, name="list"),
    path("new/", views.employer_create, name="create"),
    path("<int:employer_id>/", views.employer_detail, name="detail"),
    re_path(
        r"^(?P<employer_id>[0-9]+)/referrals\.(?P<file_format>csv|xlsx)$",
        views.referrals_export,
        name="referrals-export",
    ),
    path("<int:employer_id>/sites/new/", views.site_add, name="site-add"),
    path("<int:employer_id>/pledges/new/", views.pledge_add, name="pledge-add"),
    path("<int:employer_id>/roles/new/", views.role_add, name="role-add"),
    path("<int:employer_id>/roles/<int:role_id>/", views.role_edit, name="role-edit"),
    path("<int:employer_id>/opportunities/new/", views.opportunity_add, name="opportunity-add"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/<int:opportunity_id>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:opportunity_id>/refer/", views.opportunity_refer, name="refer"),
    path(
        "opportunities/<int:opportunity_id>/change/",
        views.opportunity_edit,
        name="opportunity-edit",
    ),
    path(
        "opportunities/<int:opportunity_id>/close/",
        views.opportunity_close,
        name="opportunity-close",
    ),
    path(
        "opportunities/<int:opportunity_id>/publish/",
        views.opportunity_publish,
        name="opportunity-publish",
    ),
    path("residents/<uuid:public_id>/", views.resident_opportunities, name="resident"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path(
        "referrals/<int:referral_id>/credentials/<uuid:credential_id>.json",
        views.referral_credential,
        name="referral-credential",
    ),
    path("sustainment/", views.checks_due, name="checks-due"),
    path("sustainment/<int:check_id>/", views.check_record, name="check"),
    path("demand/", views.demand, name="demand"),
]
