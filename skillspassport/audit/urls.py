from django.urls import path

from skillspassport.audit import views

app_name = "audit"
urlpatterns = [
    path("residents/<uuid:public_id>/audit", views.resident_audit, name="resident"),
    path("audit/", views.council_audit, name="council"),
]
