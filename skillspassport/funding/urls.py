from django.urls import URLPattern, URLResolver

app_name = "funding"

urlpatterns: list[URLPattern | URLResolver] = []
