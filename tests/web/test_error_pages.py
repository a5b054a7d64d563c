import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import MODEL_BACKEND
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db


def test_unknown_page_is_an_nhs_style_404(signed_in):
    client = signed_in(staff(team=TeamFactory()))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_explains_itself(signed_in):
    from healthjustice.organisations.roles import Role

    client = signed_in(staff(Role.EQUALITY_LEAD, team=TeamFactory()))
    response = client.get(reverse("people:search"))
    assert response.status_code == 403
    assert "This has been recorded" in response.content.decode()


def test_csrf_failure_gets_a_plain_english_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(team=TeamFactory()), backend=MODEL_BACKEND)
    response = client.post(reverse("people:search"), {"name": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
