from django.urls import path

from skillspassport.targeting import views

app_name = "targeting"

urlpatterns = [
    path("", views.targeting_page, name="page"),
    path("plans/", views.plan_create, name="plan-create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("areas/<str:code>/", views.area_profile, name="area"),
    path("import/", views.area_data_upload, name="import"),
    path("baseline/", views.skills_baseline, name="baseline"),
]
