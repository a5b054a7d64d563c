"""A list's keys sent to PostgreSQL as one string an array, and the settings its thousands of
rows are looked up with (`matching.lookup`)."""

from datetime import date

import pytest
from django.db import connection

from healthjustice.matching import lookup

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays"),
]


def _round_trip(values, kind):
    sql, param = lookup.array_sql(values, kind)
    with connection.cursor() as cursor:
        # The SQL is array_sql's own; the values are the parameter.
        query = f"SELECT x FROM unnest({sql}) WITH ORDINALITY AS u(x, n) ORDER BY n"  # noqa: S608
        cursor.execute(query, [param])
        return sql, [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([3, 1, 2, 1_000_000_000], "integer"),
        (["SMITH", "O'NEIL", "DE LA CRUZ", "ZOË", "a,b", "{x}", '"q"', "back\\slash"], "text"),
        ([date(1985, 2, 1), date(2001, 12, 31), date(1, 1, 1), date(9999, 12, 31)], "date"),
        (["J500"], "text"),
    ],
)
def test_keys_sent_as_one_string_come_back_as_they_were_given(values, kind):
    sql, back = _round_trip(values, kind)
    assert "string_to_array" in sql
    assert back == values


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["SMITH", ""], "text"),  # an empty element would be lost between separators
        ([""], "text"),
        (["SMITH", "A\x1fB"], "text"),  # holds the separator
        ([1, None], "integer"),
        ([True, False], "boolean"),
    ],
)
def test_keys_a_string_cannot_carry_go_as_an_array(values, kind):
    sql, back = _round_trip(values, kind)
    assert "string_to_array" not in sql
    assert back == values


def test_a_lists_rows_are_looked_up_without_compiling_and_with_room_to_hash():
    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('work_mem')")
            return cursor.fetchone()

    few = settings()
    with lookup._settings_for(lookup.ONE_STATEMENT_UP_TO):
        assert settings() == few
    with lookup._settings_for(lookup.ONE_STATEMENT_UP_TO + 1):
        assert settings() == ("off", "64MB")
