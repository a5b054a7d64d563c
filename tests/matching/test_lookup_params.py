"""The settings a list's thousands of rows are looked up with (`matching.lookup`)."""

import pytest
from django.db import connection

from healthjustice.matching import lookup

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings"),
]


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
