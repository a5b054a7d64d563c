"""The accessibility check must be able to fail, or every other browser test proves nothing."""

import pytest

from tests.browser.conftest import assert_accessible


def test_axe_check_fails_on_an_image_without_alt_text(page):
    page.set_content("<html lang='en'><title>t</title><main><img src='x.png'></main></html>")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)


def test_axe_check_passes_a_clean_page(page):
    page.set_content(
        "<html lang='en'><head><title>Clean</title></head><body><main><h1>Clean</h1>"
        "<label for='a'>Name</label><input id='a'></main></body></html>"
    )
    assert_accessible(page)
