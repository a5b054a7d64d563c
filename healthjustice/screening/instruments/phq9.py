"""PHQ-9 (Kroenke, Spitzer & Williams 2001)."""

from .base import Band, Instrument, Item, Option

OPTIONS = (
    Option("Not at all", 0),
    Option("Several days", 1),
    Option("More than half the days", 2),
    Option("Nearly every day", 3),
)

_TEXTS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "Validated in adults (Kroenke, Spitzer and Williams, J Gen Intern Med "
        "2001;16:606-613, adult primary care patients). Young people have an adapted "
        "version (PHQ-A), not held here."
    ),
    code="phq9",
    name="PHQ-9",
    title="Patient Health Questionnaire (PHQ-9)",
    version="PHQ-9 (2001)",
    preamble=(
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ),
    items=tuple(
        Item(number, text, OPTIONS, is_risk=number == 9)
        for number, text in enumerate(_TEXTS, start=1)
    ),
    bands=(
        Band("minimal", 0, 4),
        Band("mild", 5, 9),
        Band("moderate", 10, 14),
        Band("moderately severe", 15, 19),
        Band("severe", 20, 27),
    ),
    cutoff=10,
    cutoff_label="10 or more: probable depression, consider further assessment",
    licence_note=(
        "Developed by Drs R. L. Spitzer, J. B. W. Williams, K. Kroenke and colleagues with an "
        "educational grant from Pfizer Inc. No permission required to reproduce, translate, "
        "display or distribute."
    ),
    max_total=27,
    # Reliable change: 6 points (NHS Talking Therapies manual).
    reliable_change=6,
)
