"""Name search looks for substrings of ``search_text``; on PostgreSQL a trigram GIN index
makes that an index scan instead of reading every case file."""

from django.db import migrations

from reintegration.db import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("beneficiaries", "0001_initial")]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX beneficiary_search_trgm ON beneficiaries_beneficiary "
            "USING gin (search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS beneficiary_search_trgm",
        ),
    ]
