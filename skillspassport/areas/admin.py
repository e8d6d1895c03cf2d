from django.contrib import admin

from skillspassport.areas.models import LocalAuthority, Ward


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "vintage", "local_authority"]
    search_fields = ["code", "name"]
