"""Trigram indexes for resident search on PostgreSQL (names and phone numbers match anywhere).

Search uses `LIKE '%word%'`, which a B-tree index cannot serve. On PostgreSQL a GIN index with
`gin_trgm_ops` (extension pg_trgm, shipped with PostgreSQL) can. If the database user may not
create the extension, the migration says so and carries on: search still works, only slower
on large schemes. SQLite needs nothing here.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "resident_name_key_trgm": "name_key",
    "resident_phone_key_trgm": "phone_key",
}


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            logger.warning("pg_trgm unavailable (%s): resident search will not be indexed.", exc)
            return
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON people_resident "
                f"USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_list_order_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
