"""One optimistic lock for every versioned record."""

import pytest

from healthjustice.core.concurrency import StaleEditError, lock_at_version, stale_message
from healthjustice.people.models import Person
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_returns_the_row_when_the_version_is_the_one_the_editor_saw():
    person = PersonFactory()
    locked = lock_at_version(Person.objects.all(), person.pk, person.version, "this record")
    assert locked.pk == person.pk


@pytest.mark.django_db
def test_refuses_when_someone_saved_in_between_and_says_what_changed():
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(version=person.version + 1)
    with pytest.raises(StaleEditError, match="Someone else changed this record"):
        lock_at_version(Person.objects.all(), person.pk, person.version, "this record")


@pytest.mark.django_db
def test_a_form_opened_before_the_row_existed_is_stale():
    person = PersonFactory()
    with pytest.raises(StaleEditError):
        lock_at_version(Person.objects.all(), person.pk, None)


def test_the_message_tells_the_person_nothing_was_saved():
    assert "Your changes have not been saved" in stale_message("this referral")
