from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "skillspassport.audit"
    verbose_name = "Audit log"
