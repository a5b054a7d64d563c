"""The planner settings of the queries over many rows, for their own transaction only."""

import pytest
from django.db import connection

from healthjustice.core.report_queries import many_rows, report_queries

NAMES = ("jit", "work_mem", "parallel_setup_cost", "parallel_tuple_cost")


def _settings():
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in NAMES))
        return dict(zip(NAMES, cursor.fetchone(), strict=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")
# Outside any transaction of the test's: settings made local last to the end of the outermost.
@pytest.mark.django_db(transaction=True)
def test_reports_and_lists_set_their_settings_inside_and_leave_them_after():
    before = _settings()
    with report_queries():
        assert _settings() == {
            "jit": "off",
            "work_mem": "64MB",
            "parallel_setup_cost": "100",
            "parallel_tuple_cost": "0.01",
        }
    assert _settings() == before
    with many_rows():
        inside = _settings()
        assert (inside["jit"], inside["work_mem"]) == ("off", "64MB")
        # A list's lookups keep the planner's own costs of working in parallel.
        assert inside["parallel_setup_cost"] == before["parallel_setup_cost"]
    assert _settings() == before


@pytest.mark.skipif(connection.vendor == "postgresql", reason="other databases")
@pytest.mark.django_db
def test_other_databases_run_the_queries_as_they_are():
    with report_queries(), many_rows(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
