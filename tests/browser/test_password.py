"""Changing your own password; a carer choosing a new one after a reset. Axe throughout."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible, watch_page
from tests.carers.factories import Ward, carer_account
from tests.factories import TeamFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
NEW_PASSWORD = "copper-willow-harbour-62"


def _h1(page):
    return page.get_by_role("heading", level=1)


def test_staff_change_their_password_from_the_header(login, live_server):
    # Given a practitioner signed in
    user = staff(team=TeamFactory(name="Stoke custody L&D"))
    page = login(user)

    # When they choose "Change password" in the header
    page.get_by_role("link", name="Change password").click()
    expect(_h1(page)).to_have_text("Change your password")
    assert_accessible(page)

    # And send the form with a wrong current password and new passwords that do not match
    page.get_by_label("Your current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Change password").click()

    # Then both problems are listed, and the page is still accessible
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Your current password is not right")
    expect(summary).to_contain_text("The new passwords do not match")
    assert_accessible(page)

    # When they try a weak password
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("password")
    page.get_by_label("Type the new password again").fill("password")
    page.get_by_role("button", name="Change password").click()
    expect(summary).to_contain_text("This password is too short")
    assert_accessible(page)

    # And then a good one
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    # Then they are still signed in, and told it worked
    expect(page.locator("main")).to_contain_text("Your password has been changed.")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    login(user, password=NEW_PASSWORD)


def test_a_carer_changes_their_password_in_the_portal_on_a_phone(page, login, live_server):
    # Given a carer with an account, on a phone
    ward = Ward()
    carer, _rel = ward.carer(given_name="Grace")
    carer_account(carer, username="grace.brooks")
    page.set_viewport_size(PHONE)
    page = login(carer.user)

    # When she opens "Your details" and follows the link to change her password
    page.goto(f"{live_server.url}{reverse('carers:portal_preferences')}")
    page.get_by_role("link", name="Change your password").click()

    # Then the page is in the portal's layout, with none of the staff navigation
    expect(_h1(page)).to_have_text("Change your password")
    header = page.locator("header")
    expect(header).to_contain_text("Carers' portal")
    # On a phone the design system folds the navigation into a "More" menu
    header.get_by_role("button", name="More").click()
    expect(header.get_by_role("link", name="Your details")).to_have_count(1)
    expect(header).not_to_contain_text("Worklist")
    expect(page.locator("main")).to_contain_text("Ask the staff who support you")
    assert_accessible(page)

    # When she changes it
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()

    # Then she is back in the portal, still signed in
    expect(_h1(page)).to_have_text("Hello, Grace")
    expect(page.locator("main")).to_contain_text("Your password has been changed.")
    assert_accessible(page)


def test_staff_reset_a_carers_sign_in_and_the_carer_chooses_a_new_password(
    browser, login, live_server
):
    # Given a carer who has forgotten her password
    ward = Ward()
    carer, _rel = ward.carer(given_name="Grace", family_name="Brooks")
    carer_account(carer, username="grace.brooks")

    # When her key worker resets her sign-in from her page
    page = login(ward.key_worker)
    page.goto(
        f"{live_server.url}{reverse('carers:carer_detail', kwargs={'public_id': carer.public_id})}"
    )
    page.get_by_role("link", name="Reset Grace's sign-in").click()
    expect(_h1(page)).to_have_text("Reset sign-in to the carers' portal")
    assert_accessible(page)
    page.get_by_role("button", name="Reset sign-in").click()

    # Then the page shows the link once
    link = page.locator("#invitation-link").inner_text()
    assert "/carers/portal/invitation/" in link
    assert_accessible(page)

    # When Grace opens the link on her phone and chooses a new password
    phone = watch_page(browser.new_context(viewport=PHONE).new_page())
    phone.goto(link)
    expect(_h1(phone)).to_have_text("Choose a new password")
    expect(phone.locator("main")).to_contain_text("grace.brooks")
    assert_accessible(phone)
    phone.get_by_label("Choose a password").fill("short")
    phone.get_by_label("Type the password again").fill("short")
    phone.get_by_role("button", name="Save new password").click()
    expect(phone.locator(".nhsuk-error-summary")).to_contain_text("This password is too short")
    assert_accessible(phone)
    phone.get_by_label("Choose a password").fill(NEW_PASSWORD)
    phone.get_by_label("Type the password again").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Save new password").click()
    expect(phone.locator("main")).to_contain_text("Your new password is ready")
    assert_accessible(phone)

    # Then she signs in to the same account with it
    phone.get_by_label("Username").fill("grace.brooks")
    phone.get_by_label("Password").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(_h1(phone)).to_have_text("Hello, Grace")

    # And, signed out again, the link does not work a second time
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_load_state()
    phone.goto(link)
    expect(_h1(phone)).to_have_text("This link has already been used")
    assert_accessible(phone)
