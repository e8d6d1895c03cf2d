from django.urls import path

from skillspassport.people import views

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="list"),
    path("register", views.resident_register, name="register"),
    path("<uuid:public_id>/", views.resident_detail, name="detail"),
    path("<uuid:public_id>/edit", views.resident_edit, name="edit"),
    path("<uuid:public_id>/audit", views.resident_audit, name="audit"),
    path("<uuid:public_id>/consent/add", views.consent_add, name="consent-add"),
    path(
        "<uuid:public_id>/consent/<int:consent_id>/withdraw",
        views.consent_withdraw,
        name="consent-withdraw",
    ),
    path("<uuid:public_id>/equality", views.equality_edit, name="equality"),
    path("<uuid:public_id>/passport", views.passport_print, name="passport"),
]
