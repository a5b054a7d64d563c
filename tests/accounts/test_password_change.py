"""Everyone signed in changes their own password: Django's checks, NHS wording, audited safely."""

import pytest
from django.test import Client
from django.urls import reverse

from healthjustice.accounts.models import User
from healthjustice.audit.models import Action, AuditEvent
from tests.carers.factories import CarerFactory, carer_account
from tests.conftest import MODEL_BACKEND
from tests.factories import TeamFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

OLD = "correct-horse-battery"
NEW = "marble-orchard-kettle-58"
URL = reverse("accounts:password_change")


def _change(client, old=OLD, new=NEW, again=None):
    again = new if again is None else again
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again})


def _signs_in(username: str, password: str) -> bool:
    response = Client().post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    return response.status_code == 302


def _password_unchanged(user: User) -> bool:
    user.refresh_from_db()
    return user.check_password(OLD)


@pytest.fixture
def practitioner():
    return staff(team=TeamFactory())


def test_the_header_links_to_the_page(signed_in, practitioner):
    page = signed_in(practitioner).get(reverse("web:home")).content.decode()
    assert f'href="{URL}"' in page
    assert "Change password" in page


def test_wrong_current_password_is_refused(signed_in, practitioner):
    response = _change(signed_in(practitioner), old="not-my-password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Your current password is not right. Enter it again" in page
    assert _password_unchanged(practitioner)
    assert not AuditEvent.objects.filter(action=Action.UPDATE, object_type="user").exists()


def test_empty_form_asks_for_each_box(signed_in, practitioner):
    page = signed_in(practitioner).post(URL, {}).content.decode()
    assert "Enter your current password" in page
    assert "Enter a new password" in page
    assert "Type the new password again" in page
    assert _password_unchanged(practitioner)


def test_new_passwords_that_do_not_match_are_refused(signed_in, practitioner):
    response = _change(signed_in(practitioner), again="marble-orchard-kettle-59")
    assert "The new passwords do not match" in response.content.decode()
    assert _password_unchanged(practitioner)


def test_weak_new_password_gets_the_validators_messages(signed_in, practitioner):
    response = _change(signed_in(practitioner), new="password")
    page = response.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in page
    assert "This password is too common." in page
    assert _password_unchanged(practitioner)


def test_new_password_like_the_username_is_refused(signed_in):
    user = staff(team=TeamFactory(), user__username="florence.okonkwo")
    response = _change(signed_in(user), new="florence.okonkwo1")
    assert "too similar to the username" in response.content.decode()
    assert _password_unchanged(user)


def test_success_keeps_the_session_and_the_old_password_stops_working(
    client, signed_in, practitioner
):
    other_device = Client()
    other_device.force_login(practitioner, backend=MODEL_BACKEND)
    response = _change(signed_in(practitioner))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    assert "Your password has been changed." in home.content.decode()
    # Every other session of the account ends: its password hash no longer matches.
    assert other_device.get(reverse("web:home")).status_code == 302
    assert not _signs_in(practitioner.username, OLD)
    assert _signs_in(practitioner.username, NEW)
    practitioner.refresh_from_db()
    assert practitioner.check_password(NEW)
    assert not practitioner.check_password(OLD)


def test_change_is_audited_by_field_name_never_the_value(signed_in, practitioner):
    _change(signed_in(practitioner))
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="user")
    assert event.object_id == str(practitioner.public_id)
    assert event.actor_id == str(practitioner.public_id)
    assert event.fields_changed == ["password"]
    everything = str(list(AuditEvent.objects.values()))
    assert NEW not in everything
    assert OLD not in everything
    practitioner.refresh_from_db()
    assert practitioner.password not in everything


def test_wrong_current_passwords_count_towards_the_sign_in_lockout(
    client, signed_in, practitioner, settings
):
    signed_in(practitioner)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _change(client, old="not-my-password").status_code == 200
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == (
        settings.AXES_FAILURE_LIMIT - 1
    )
    locked = _change(client, old="not-my-password")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    # Locked: even the right current password is refused, and so is signing in elsewhere.
    assert _change(client).status_code == 429
    assert _password_unchanged(practitioner)
    sign_in = Client().post(
        reverse("accounts:login"), {"username": practitioner.username, "password": OLD}
    )
    assert sign_in.status_code == 429


def test_a_carer_sees_the_portal_layout_without_staff_navigation(signed_in):
    carer = CarerFactory()
    user = carer_account(carer)
    page = signed_in(user).get(URL).content.decode()
    assert "Carers&#39; portal" in page or "Carers' portal" in page
    assert f'href="{reverse("carers:portal_preferences")}"' in page
    assert "Need help now?" in page
    assert f'href="{reverse("web:home")}"' not in page
    assert "Ask the staff who support you to reset your sign-in" in page


def test_staff_see_the_staff_layout(signed_in, practitioner):
    page = signed_in(practitioner).get(URL).content.decode()
    assert f'href="{reverse("web:home")}"' in page
    assert f'href="{reverse("carers:portal")}"' not in page
    assert "Ask your system administrator" in page


def test_a_carer_can_change_their_password_and_is_sent_to_the_portal(signed_in):
    carer = CarerFactory()
    user = carer_account(carer)
    client = signed_in(user)
    response = _change(client)
    assert response.status_code == 302
    portal = client.get(reverse("web:home"), follow=True)
    assert portal.redirect_chain[-1][0] == reverse("carers:portal")
    assert "Your password has been changed." in portal.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_the_portal_details_page_links_to_the_password_page(signed_in):
    carer = CarerFactory()
    page = signed_in(carer_account(carer)).get(reverse("carers:portal_preferences"))
    assert f'href="{URL}"' in page.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    UserFactory(username="someone")
    response = client.post(URL, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_problems_are_listed_in_the_order_of_the_boxes(signed_in, practitioner):
    page = _change(signed_in(practitioner), old="not-my-password", new="password", again="x")
    summary = page.content.decode().split("There is a problem")[1].split("</ul>")[0]
    order = [summary.index(f'href="#id_{name}"') for name in ("old_password", "new_password1")]
    order.append(summary.index('href="#id_new_password2"'))
    assert order == sorted(order)
