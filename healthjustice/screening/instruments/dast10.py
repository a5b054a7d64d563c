"""DAST-10 (Skinner 1982)."""

from .base import Band, Instrument, Item, Option

OPTIONS = (Option("No", 0), Option("Yes", 1))

_TEXTS = (
    "Have you used drugs other than those required for medical reasons?",
    "Do you abuse more than one drug at a time?",
    "Are you always able to stop using drugs when you want to?",
    'Have you had "blackouts" or "flashbacks" as a result of drug use?',
    "Do you ever feel bad or guilty about your drug use?",
    "Does your spouse (or parents) ever complain about your involvement with drugs?",
    "Have you neglected your family because of your use of drugs?",
    "Have you engaged in illegal activities in order to obtain drugs?",
    "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking drugs?",
    "Have you had medical problems as a result of your drug use (e.g. memory loss, hepatitis, "
    "convulsions, bleeding, etc.)?",
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "Skinner, Addictive Behaviors 1982;7:363-371 (adults); young people have an "
        "adapted version (DAST-A), not held here."
    ),
    code="dast10",
    name="DAST-10",
    title="Drug Abuse Screening Test (DAST-10)",
    version="DAST-10 (1982)",
    preamble=(
        "The following questions concern information about your possible involvement with "
        "drugs not including alcoholic beverages during the past 12 months. In the statements "
        '"drug abuse" refers to (1) the use of prescribed or over-the-counter drugs in excess '
        "of the directions, and (2) any non-medical use of drugs."
    ),
    items=tuple(
        Item(number, text, OPTIONS, reverse_scored=number == 3)
        for number, text in enumerate(_TEXTS, start=1)
    ),
    bands=(
        Band("none", 0, 0),
        Band("low", 1, 2),
        Band("moderate", 3, 5),
        Band("substantial", 6, 8),
        Band("severe", 9, 10),
    ),
    cutoff=None,
    cutoff_label="",
    licence_note=(
        "© 1982 Harvey A. Skinner, PhD, and the Centre for Addiction and Mental Health, "
        "Toronto. May be reproduced unchanged for non-commercial clinical and research use."
    ),
    max_total=10,
)
