"""A report issued while a withdrawal is being saved waits for it, then is refused.

Needs real row locks and concurrent connections, so it runs on PostgreSQL only.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from healthjustice.assessments.models import Report
from healthjustice.assessments.services import consent_withdraw
from healthjustice.journeys.choices import Stage
from tests.assessments.factories import give_consent, issue_court_report
from tests.factories import TeamFactory, staff
from tests.screening.factories import make_episode


@pytest.mark.django_db(transaction=True)
def test_report_waits_for_withdrawal_in_flight_and_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    team = TeamFactory()
    user = staff(team=team)
    episode = make_episode(team=team, actor=user, stage=Stage.ASSESSED)
    consent = give_consent(episode.person, user).consent
    locked = threading.Event()

    def withdraw() -> None:
        try:
            with transaction.atomic():
                consent_withdraw(actor=user, consent=consent, note="Changed their mind")
                locked.set()
                time.sleep(0.5)
        finally:
            connection.close()

    worker = threading.Thread(target=withdraw)
    worker.start()
    assert locked.wait(5)
    with pytest.raises(ValidationError, match="no consent in force"):
        issue_court_report(episode, user)
    worker.join()
    assert not Report.objects.exists()
