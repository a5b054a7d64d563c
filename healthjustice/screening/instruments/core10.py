"""CORE-10 (Barkham et al. 2013), © CORE System Trust."""

from .base import Band, Instrument, Item, Option

OPTIONS = (
    Option("Not at all", 0),
    Option("Only occasionally", 1),
    Option("Sometimes", 2),
    Option("Often", 3),
    Option("Most or all of the time", 4),
)

_TEXTS = (
    "I have felt tense, anxious or nervous",
    "I have felt I have someone to turn to for support when needed",
    "I have felt able to cope when things go wrong",
    "Talking to people has felt too much for me",
    "I have felt panic or terror",
    "I made plans to end my life",
    "I have had difficulty getting to sleep or staying asleep",
    "I have felt despairing or hopeless",
    "I have felt unhappy",
    "Unwanted images or memories have been distressing me",
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "Barkham et al., Counselling and Psychotherapy Research 2013;13:3-13 (adults in "
        "primary care). Young people have YP-CORE; one secondary source gives CORE-10 as "
        "17+, so 18+ is the cautious choice."
    ),
    code="core10",
    name="CORE-10",
    title="Clinical Outcomes in Routine Evaluation (CORE-10)",
    version="CORE-10 (2013)",
    preamble="Over the last week…",
    items=tuple(
        Item(number, text, OPTIONS, is_risk=number == 6, reverse_scored=number in (2, 3))
        for number, text in enumerate(_TEXTS, start=1)
    ),
    bands=(
        Band("healthy", 0, 5),
        Band("low", 6, 10),
        Band("mild", 11, 14),
        Band("moderate", 15, 19),
        Band("moderate-to-severe", 20, 24),
        Band("severe", 25, 40),
    ),
    cutoff=11,
    cutoff_label="11 or more: clinical range",
    licence_note=(
        "© CORE System Trust. Free to copy and use unchanged; may not be changed or sold. "
        "https://www.coresystemtrust.org.uk/"
    ),
    max_total=40,
    # Reliable change: 6 points (domain brief, section 6).
    reliable_change=6,
)
