from django.urls import path

from skillspassport.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.council_audit, name="council"),
]
