from django.urls import path

from skillspassport.skills import views

app_name = "skills"
urlpatterns = [
    path("framework/", views.framework_detail, name="framework"),
    path(
        "residents/<uuid:public_id>/evidence/<slug:strand_code>",
        views.evidence_record,
        name="evidence-record",
    ),
    path(
        "residents/<uuid:public_id>/evidence/<int:evidence_id>/withdraw",
        views.evidence_withdraw,
        name="evidence-withdraw",
    ),
]
