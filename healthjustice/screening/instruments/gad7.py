"""GAD-7 (Spitzer, Kroenke, Williams & Löwe 2006)."""

from .base import Band, Instrument, Item, Option

OPTIONS = (
    Option("Not at all", 0),
    Option("Several days", 1),
    Option("More than half the days", 2),
    Option("Nearly every day", 3),
)

_TEXTS = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "Validated in adults (Spitzer, Kroenke, Williams and Lowe, Arch Intern Med "
        "2006;166:1092-1097, adult primary care patients)."
    ),
    code="gad7",
    name="GAD-7",
    title="Generalised Anxiety Disorder Assessment (GAD-7)",
    version="GAD-7 (2006)",
    preamble=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=tuple(Item(number, text, OPTIONS) for number, text in enumerate(_TEXTS, start=1)),
    bands=(
        Band("minimal", 0, 4),
        Band("mild", 5, 9),
        Band("moderate", 10, 14),
        Band("severe", 15, 21),
    ),
    cutoff=10,
    cutoff_label="10 or more: probable anxiety disorder, consider further assessment",
    licence_note=(
        "Developed by Drs R. L. Spitzer, J. B. W. Williams, K. Kroenke and colleagues with an "
        "educational grant from Pfizer Inc. No permission required to reproduce, translate, "
        "display or distribute."
    ),
    max_total=21,
    # Reliable change: 4 points (NHS Talking Therapies manual).
    reliable_change=4,
)
