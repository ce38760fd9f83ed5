"""Database helpers that differ between PostgreSQL (production, CI) and SQLite (first run)."""

from django.db import connection, migrations


class PostgresOnlySQL(migrations.RunSQL):
    """SQL that only PostgreSQL needs (extensions, trigram indexes); SQLite skips it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def lock_for_transaction(*keys: str) -> None:
    """Wait until no other transaction holds any of these keys, then hold them until this one ends.

    For checks that read before they write — "is this person already registered?" — where no row
    exists yet to lock. PostgreSQL's advisory locks; SQLite takes one writer at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):  # always in the same order: two callers never deadlock
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
