"""The trajectory chart: an image with its title and description, a point per score, the
cut-off drawn, text escaped, and words when there is nothing to draw."""

import datetime

from healthjustice.mhtr.charts import trajectory_chart
from healthjustice.mhtr.outcomes import Point

D = datetime.date(2026, 3, 2)


def test_chart_has_a_point_per_score_the_cutoff_and_its_accessible_name():
    points = [Point(D, 18), Point(D + datetime.timedelta(days=7), 12), Point(D, 8)]
    svg = str(
        trajectory_chart(
            "chart-phq9",
            "PHQ-9 <scores>",
            "three scores",
            points,
            maximum=27,
            cutoff=10,
            date_labels=["2 Mar", "9 Mar", "16 Mar"],
        )
    )
    assert 'role="img"' in svg and 'aria-labelledby="chart-phq9-title chart-phq9-desc"' in svg
    assert '<title id="chart-phq9-title">PHQ-9 &lt;scores&gt;</title>' in svg
    assert svg.count("<circle") == 3 and "<polyline" in svg
    assert "cut-off 10" in svg and "stroke-dasharray" in svg
    assert "16 Mar" in svg and "style=" not in svg


def test_one_score_is_a_point_and_none_is_said_in_words():
    one = str(trajectory_chart("c", "t", "d", [Point(D, 5)], maximum=21))
    assert one.count("<circle") == 1 and "<polyline" not in one
    none = str(trajectory_chart("c", "t", "d", [], maximum=21))
    assert "Not measured yet" in none and "<circle" not in none
