"""A list of values sent to the database as one parameter (`core.value_lists`): on
PostgreSQL as one string split into an array, or an array where a string cannot carry them;
ids read back by a subquery whose text does not depend on how many there are, on both
databases."""

from datetime import date

import pytest
from django.db import connection

from healthjustice.core import value_lists

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's arrays"
)


def _round_trip(values, kind):
    sql, param = value_lists.array_sql(values, kind)
    with connection.cursor() as cursor:
        # The SQL is array_sql's own; the values are the parameter.
        query = f"SELECT x FROM unnest({sql}) WITH ORDINALITY AS u(x, n) ORDER BY n"  # noqa: S608
        cursor.execute(query, [param])
        return sql, [row[0] for row in cursor.fetchall()]


@postgresql_only
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


@postgresql_only
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


@pytest.mark.parametrize("ids", [[], [7], [3, 1, 2, 1_000_000_000_000], list(range(5000))])
def test_ids_sent_as_one_parameter_come_back_as_they_were_given(ids):
    # One text for any number of ids: a statement holding it is compiled once and kept.
    sql = value_lists.ids_subquery()
    with connection.cursor() as cursor:
        cursor.execute(sql, [value_lists.ids_param(ids)])
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(ids)
