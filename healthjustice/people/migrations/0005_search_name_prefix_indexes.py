"""Indexes the name search's prefix conditions can use on PostgreSQL.

Under the database's collation (en_US.UTF-8 and the like) a b-tree index cannot answer
`LIKE 'smi%'`; one with the pattern operator class can. Each index pairs a key or prefix with
the other name, so every condition of `people.selectors._name_candidates` is one index range.
SQLite has no operator classes (and Django's LIKE there carries an ESCAPE that its planner will
not index): nothing is made there, and the search stays correct, as before.
"""

from django.db import migrations

INDEXES = {
    "people_searchname_fkey_given_like": "(family_key, given varchar_pattern_ops)",
    "people_searchname_gkey_family_like": "(given_key, family varchar_pattern_ops)",
    "people_searchname_family_given_like": "(family varchar_pattern_ops, given varchar_pattern_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON people_searchname {columns}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # CONCURRENTLY: a live service keeps registering people while the indexes are built.
    atomic = False

    dependencies = [
        ("people", "0004_nhs_number_check_digit_on_the_field"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
