from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff sign-in, passwords and a council's user administration: the audited writes to
    accounts. The accounts app below it holds who people are and what their roles allow."""

    name = "skillspassport.staff"
