"""Chain the events written before the log was chained, oldest first (by id)."""

from django.db import migrations

from skillspassport.audit import hashing


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    previous, seq, after = hashing.GENESIS, 0, 0
    while batch := list(AuditEvent.objects.using(db).filter(id__gt=after).order_by("id")[:2000]):
        after = batch[-1].pk
        for event in batch:
            seq += 1
            previous = _link(AuditEvent, db, event, seq, previous)
    AuditChainHead.objects.using(db).update_or_create(
        pk=1, defaults={"seq": seq, "hash": previous}
    )


def _link(AuditEvent, db, event, seq, previous):
        content = hashing.canonical(
            seq=seq,
            at=event.at,
            user_id=event.user_id,
            organisation_id=event.organisation_id,
            resident_id=event.resident_id,
            action=event.action,
            summary=event.summary,
            fields=event.fields,
            changes=event.changes,
            ip_address=event.ip_address,
        )
        own = hashing.link(previous, content)
        AuditEvent.objects.using(db).filter(pk=event.pk).update(seq=seq, hash=own)
        return own


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_chain_fields")]

    operations = [migrations.RunPython(chain_existing, unchain)]
