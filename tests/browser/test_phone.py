"""The phone-width check finds a page wider than the screen and names what sticks out."""

import pytest

from tests.browser.phone import PHONE, assert_fits_phone, overflow


def test_a_page_wider_than_the_screen_is_found_and_named(page):
    page.set_viewport_size(PHONE)
    page.set_content(
        "<html lang='en'><body><main><p>Fits</p><table id='wide'><tr><td>"
        + "&nbsp;".join(["unbreakable"] * 20)
        + "</td></tr></table></main></body></html>"
    )
    found = overflow(page)
    assert found and found["scrollWidth"] > PHONE["width"]
    assert found["widest"].startswith("table#wide")
    page.set_content("<html lang='en'><body><main><p>Fits</p></main></body></html>")
    assert overflow(page) is None


def test_a_page_that_fits_a_desktop_but_not_a_phone_fails_once_turned(page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.set_content(
        "<html lang='en'><body><main><div id='wide' style='width: 600px'>Wide</div>"
        "</main></body></html>"
    )
    assert overflow(page) is None
    with pytest.raises(AssertionError, match="div#wide"):
        assert_fits_phone(page)
