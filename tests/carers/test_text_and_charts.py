from healthjustice.carers.charts import BarChart, Series, render_bar_chart
from healthjustice.carers.text import clean_plain_text, contains_markup, render_plain_text


def test_plain_text_is_escaped_with_paragraphs_headings_and_bullets():
    html = str(render_plain_text("Hi <b>you</b>\n\n## Visiting\n- bring ID\n- book ahead\nThanks"))
    assert "&lt;b&gt;you&lt;/b&gt;" in html
    assert '<h2 class="nhsuk-heading-m">Visiting</h2>' in html
    assert "<li>bring ID</li><li>book ahead</li>" in html
    assert html.endswith("<p>Thanks</p>")


def test_only_https_addresses_become_links():
    html = str(
        render_plain_text("See https://carers.org/x. Not javascript:alert(1) or http://x.org")
    )
    assert '<a href="https://carers.org/x" rel="noopener noreferrer">' in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html
    assert 'href="http://x.org"' not in html


def test_link_text_with_quotes_cannot_break_out_of_the_attribute():
    html = str(render_plain_text('https://a.org/"onmouseover="x'))
    assert 'onmouseover="x' not in html


def test_markup_is_detected_but_ordinary_symbols_are_not():
    assert contains_markup("<script>x</script>")
    assert contains_markup("a <img src=x onerror=y>")
    assert contains_markup("&lt;b&gt;")
    assert not contains_markup("I <3 him & he is > 2 years older")


def test_clean_plain_text_drops_control_characters():
    assert clean_plain_text("a\x00b\r\nc\u200bd ") == "ab\ncd"


def test_bar_chart_is_accessible_svg_without_style_attributes():
    chart = BarChart(
        key="t",
        title="Contacts <by team>",
        description="A description",
        groups=["Cedar Ward", "A very long team name that needs to be shortened for the chart"],
        series=[Series("Contacts", [3, 0])],
    )
    svg = str(render_bar_chart(chart))
    assert 'role="img"' in svg
    assert 'aria-labelledby="chart-t-title chart-t-desc"' in svg
    assert '<title id="chart-t-title">Contacts &lt;by team&gt;</title>' in svg
    assert "style" not in svg
    assert 'width="380.0"' in svg  # the largest value fills the bar area
    assert 'width="0.0"' in svg
    assert "…" in svg


def test_bar_chart_with_two_series_has_a_legend():
    chart = BarChart(
        key="a",
        title="Agreements",
        description="d",
        groups=["Cedar Ward"],
        series=[Series("In force", [2]), Series("Due for review", [1])],
    )
    svg = str(render_bar_chart(chart))
    assert "In force</text>" in svg and "Due for review</text>" in svg


def test_hexadecimal_character_reference_counts_as_markup():
    from healthjustice.carers.text import contains_markup

    assert contains_markup("&#x3c;script&#x3e;")
    assert contains_markup("&#X3C;b")
