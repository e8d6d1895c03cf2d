from django.urls import path

from skillspassport.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("<int:report_id>/report.pdf", views.report_pdf, name="pdf"),
    path("<int:report_id>/tables.xlsx", views.report_xlsx, name="xlsx"),
    path("<int:report_id>/tables.csv", views.report_csv, name="csv"),
]
