"""Records that are never changed or deleted once written: the audit trail, stage history,
the custody clock, consent decisions and disclosure records.

A correction is a new row. The model refuses `save()` of an existing row and `delete()`; its
queryset refuses `update()` and `delete()`; on PostgreSQL a trigger refuses UPDATE and DELETE
from any client, so raw SQL and other programs are held to the same rule. The only way past the
trigger is `allow_purge()` inside a transaction, used by the demo reset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from django.db import connection, migrations, models

PURGE_SETTING = "healthjustice.purge"
_FUNCTION = "healthjustice_refuse_change"


class AppendOnlyError(PermissionError):
    """An attempt to change or delete an append-only record."""


_M = TypeVar("_M", bound="AppendOnlyModel")


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(self.model.append_only_message)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """Base for append-only records: add rows, never change or remove them."""

    append_only_message: ClassVar[str] = "These records are append-only: add a new row."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.append_only_message)


def allow_purge() -> None:
    """Let this transaction delete or blank append-only rows (the demo reset only).

    Call inside `transaction.atomic()`: the permission ends with the transaction.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])


_CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF current_setting('{PURGE_SETTING}', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% on %: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def _trigger_name(table: str) -> str:
    return f"{table}_append_only"


def refuse_changes_in_database(*tables: str) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, a trigger refusing UPDATE and DELETE on `tables`."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(_CREATE_FUNCTION, params=None)
        for table in tables:
            schema_editor.execute(
                f'CREATE TRIGGER "{_trigger_name(table)}" BEFORE UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {_FUNCTION}()"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{_trigger_name(table)}" ON "{table}"')

    return migrations.RunPython(forwards, backwards, elidable=False)


def guarded_tables() -> Sequence[str]:
    """Every table of an append-only model (for checks that each has its trigger)."""
    from django.apps import apps

    return sorted(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, AppendOnlyModel) and not m._meta.proxy
    )


__all__ = [
    "AppendOnlyError",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "allow_purge",
    "guarded_tables",
    "refuse_changes_in_database",
]
