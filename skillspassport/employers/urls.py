from django.urls import URLPattern, URLResolver

app_name = "employers"

urlpatterns: list[URLPattern | URLResolver] = []
