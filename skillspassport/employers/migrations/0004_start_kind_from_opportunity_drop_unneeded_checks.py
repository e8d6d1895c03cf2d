"""Give each job start already recorded its kind, and stop checking starts that are not jobs.

A start recorded from a referral takes its kind from the opportunity's type (work experience
and paid placements are not jobs; a guaranteed interview that led to a start is a job); a start
with an apprenticeship contract is an apprenticeship; every other start stays a job.

Sustainment checks are only for jobs and apprenticeships. A check of another kind of start that
nobody has recorded yet was only a reminder: it is removed, so it is no longer listed as due.
A check someone already recorded is kept as it is, with who recorded it and when — it is the
record of a call that was made — but it is not counted as a job sustained
(`SustainmentCheckQuerySet.sustained`). Reversing restores the kinds to "job" and does not
bring back the removed reminders.
"""

from django.db import migrations

KIND_OF_TYPE = {
    "job": "job",
    "guaranteed_interview": "job",
    "apprenticeship": "apprenticeship",
    "work_experience": "work_experience",
    "paid_placement": "paid_placement",
}
SUSTAINED_KINDS = ("job", "apprenticeship")


def forwards(apps, schema_editor):
    JobStart = apps.get_model("employers", "JobStart")
    Referral = apps.get_model("employers", "Referral")
    SustainmentCheck = apps.get_model("employers", "SustainmentCheck")
    JobStart.objects.filter(contract="apprenticeship").update(kind="apprenticeship")
    for job_start_id, opportunity_type in Referral.objects.filter(
        job_start__isnull=False
    ).values_list("job_start_id", "opportunity__opportunity_type"):
        kind = KIND_OF_TYPE.get(opportunity_type, "job")
        JobStart.objects.filter(pk=job_start_id).update(kind=kind)
    SustainmentCheck.objects.filter(outcome="").exclude(
        job_start__kind__in=SUSTAINED_KINDS
    ).delete()


def backwards(apps, schema_editor):
    apps.get_model("employers", "JobStart").objects.update(kind="job")


class Migration(migrations.Migration):
    dependencies = [("employers", "0003_interview_decline_start_kind_opportunity_closing")]

    operations = [migrations.RunPython(forwards, backwards)]
