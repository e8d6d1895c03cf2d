from django.urls import path

from skillspassport.background import views

app_name = "background"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("<uuid:work_id>/", views.work_detail, name="detail"),
]
