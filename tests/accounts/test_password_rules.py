"""New passwords: never the current one, never a guessable word dressed up (NCSC guidance)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from markupsafe import escape

from healthjustice.accounts.password_validation import (
    GUESSABLE_MESSAGE,
    SAME_AS_CURRENT_MESSAGE,
    is_guessable,
)
from healthjustice.carers import services as carer_services
from healthjustice.demo.accounts import DEFAULT_DEMO_PASSWORD, check_demo_password
from healthjustice.organisations.roles import Role
from tests.carers.factories import Ward, carer_account
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db

CURRENT = "correct-horse-battery"
DEMO_KIND = [
    "Passw0rd1234",
    "Password1234",
    "P@55w0rd!2026",
    "Welcome12345",
    "Qwerty123456",
    "qwertyuiop12",
    "1qaz2wsx3edc",
    "Letmein!2026",
    "Summer2026!!",
    "Autumn-2025!",
    "December2026",
    "Changeme2026",
    "aaaaaaaaaaaa",
]
STRONG = ["marble-orchard-kettle-58", "violet harbour lantern", "lantern-orchard-pebble"]


def _page_message(text: str) -> str:
    return str(escape(text))


@pytest.mark.parametrize("password", DEMO_KIND)
def test_guessable_patterns_are_refused_on_the_change_page(signed_in, password):
    user = staff(team=TeamFactory())
    response = signed_in(user).post(
        reverse("accounts:password_change"),
        {"old_password": CURRENT, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert _page_message(GUESSABLE_MESSAGE) in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(CURRENT)


def test_the_current_password_is_refused_as_the_new_one(signed_in):
    user = staff(team=TeamFactory())
    response = signed_in(user).post(
        reverse("accounts:password_change"),
        {"old_password": CURRENT, "new_password1": CURRENT, "new_password2": CURRENT},
    )
    assert response.status_code == 200
    assert SAME_AS_CURRENT_MESSAGE in response.content.decode()


def test_the_username_or_service_name_with_digits_is_refused():
    user = staff(user__username="practitioner.staffs", team=TeamFactory())
    for password in ("practitioner.staffs2026", "Staffs12345678", "HealthJustice2026"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password, user)
        assert GUESSABLE_MESSAGE in refused.value.messages


def test_the_users_name_with_digits_is_refused():
    user = staff(user__first_name="Priya", user__last_name="Shah", team=TeamFactory())
    assert is_guessable("PriyaShah2026!", user)


@pytest.mark.parametrize("password", STRONG)
def test_long_passphrases_pass(password):
    validate_password(password, staff(team=TeamFactory()))


def test_a_guessable_word_inside_a_long_passphrase_is_allowed():
    assert not is_guessable("summer-tractor-elephant-orange")


def test_the_demo_accounts_password_passes_the_validators():
    check_demo_password(DEFAULT_DEMO_PASSWORD)


def test_the_old_demo_password_would_now_be_refused():
    with pytest.raises(ValidationError):
        check_demo_password("Demo-Passw0rd-2026")


def test_a_carer_setting_a_password_from_a_reset_link_is_refused_a_guessable_one(client):
    ward = Ward()
    carer, _rel = ward.carer()
    user = carer_account(carer, username="grace.brooks")
    issued = carer_services.carer_sign_in_reset(actor=ward.key_worker, carer=carer)
    url = reverse("carers:portal_invitation", kwargs={"token": issued.token})
    response = client.post(url, {"password": "Welcome12345", "password_again": "Welcome12345"})
    assert response.status_code == 200
    assert _page_message(GUESSABLE_MESSAGE) in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_administrator_setting_a_password_is_refused_a_guessable_one(signed_in):
    admin = staff(role=Role.SYSTEM_ADMIN, team=TeamFactory())
    target = staff(team=TeamFactory())
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = signed_in(admin).post(
        url, {"password1": "Passw0rd1234", "password2": "Passw0rd1234", "usable_password": "true"}
    )
    assert response.status_code == 200
    assert _page_message(GUESSABLE_MESSAGE) in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(CURRENT)


def test_an_administrator_cannot_set_a_users_current_password_again(signed_in):
    admin = staff(role=Role.SYSTEM_ADMIN, team=TeamFactory())
    target = staff(team=TeamFactory())
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    response = signed_in(admin).post(
        url, {"password1": CURRENT, "password2": CURRENT, "usable_password": "true"}
    )
    assert response.status_code == 200
    assert SAME_AS_CURRENT_MESSAGE in response.content.decode()


def test_seeding_moves_demo_accounts_off_the_old_refused_default(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from healthjustice.accounts.models import User
    from healthjustice.demo import registry

    registry.load_app_demo_modules()
    monkeypatch.setattr(registry, "_seeders", [])
    monkeypatch.setattr(registry, "_resets", [])
    call_command("seed_demo", people=5, stdout=StringIO())
    user = User.objects.get(username="practitioner.staffs")
    user.set_password("Demo-Passw0rd-2026")
    user.save()
    changed_by_hand = User.objects.get(username="team_leader.staffs")
    changed_by_hand.set_password("my-own-chosen-words")
    changed_by_hand.save()
    call_command("seed_demo", "--if-empty", people=5, stdout=StringIO())
    user.refresh_from_db()
    changed_by_hand.refresh_from_db()
    assert user.check_password(DEFAULT_DEMO_PASSWORD)
    assert changed_by_hand.check_password("my-own-chosen-words")
    # Loading again (not only when empty) does the same.
    user.set_password("Demo-Passw0rd-2026")
    user.save()
    call_command("seed_demo", people=5, stdout=StringIO())
    user.refresh_from_db()
    assert user.check_password(DEFAULT_DEMO_PASSWORD)
