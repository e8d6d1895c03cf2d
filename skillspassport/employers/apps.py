from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "skillspassport.employers"
    label = "employers"
    verbose_name = "Employers and opportunities"

    def ready(self) -> None:
        from django.conf import settings

        from skillspassport.employers import skillsmap
        from skillspassport.employers.receivers import close_referrals_on_withdrawal
        from skillspassport.people.signals import consent_withdrawn

        skillsmap.configure(index_dir=settings.SKILLS_MAP_INDEX_DIR)
        consent_withdrawn.connect(
            close_referrals_on_withdrawal, dispatch_uid="employers.close_referrals"
        )
