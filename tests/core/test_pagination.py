"""Pages of a list counted up to a limit (core.pagination.CountedUpTo)."""

import pytest

from healthjustice.audit.models import AuditEvent
from healthjustice.core.pagination import CountedUpTo
from tests.audit.factories import events_by
from tests.factories import staff

pytestmark = pytest.mark.django_db


def _events():
    return AuditEvent.objects.order_by("-seq")


@pytest.mark.parametrize(("limit", "count", "more"), [(10, 5, False), (5, 5, False), (4, 4, True)])
def test_the_count_stops_at_the_limit_and_says_whether_there_are_more(limit, count, more):
    events_by(staff(), 5)
    paginator = CountedUpTo(_events(), 2, limit)
    assert paginator.count == count
    assert paginator.more is more
    assert paginator.num_pages == (count + 1) // 2


def test_the_pages_hold_the_newest_up_to_the_limit():
    newest_first = [e.seq for e in reversed(events_by(staff(), 5))]
    paginator = CountedUpTo(_events(), 2, 3)
    assert [e.seq for e in paginator.page(1)] == newest_first[:2]
    assert [e.seq for e in paginator.page(2)] == newest_first[2:3]


def test_the_count_reads_no_more_rows_than_the_limit(django_assert_max_num_queries):
    events_by(staff(), 5)
    paginator = CountedUpTo(_events(), 2, 3)
    with django_assert_max_num_queries(1) as captured:
        assert paginator.count == 3
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]
