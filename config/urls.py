from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("skillspassport.core.urls")),
    path("", include("skillspassport.home.urls")),
    path("", include("skillspassport.staff.urls")),
    path("residents/", include("skillspassport.people.urls")),
    path("", include("skillspassport.skills.urls")),
    path("", include("skillspassport.audit.urls")),
    path("", include("skillspassport.credentials.urls")),
    path("targeting/", include("skillspassport.targeting.urls")),
    path("reports/", include("skillspassport.reports.urls")),
    path("employers/", include("skillspassport.employers.urls")),
    path("training/", include("skillspassport.training.urls")),
    path("support/", include("skillspassport.support.urls")),
    path("funding/", include("skillspassport.funding.urls")),
    path("privacy/", include("skillspassport.privacy.urls")),
    path("work/", include("skillspassport.background.urls")),
    path("api/v1/", include("skillspassport.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "skillspassport.core.views.not_found"
handler403 = "skillspassport.core.views.forbidden"
handler500 = "skillspassport.core.views.server_error"
