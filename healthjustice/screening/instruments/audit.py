"""AUDIT, 10 items, UK version with units (WHO 2001)."""

from .auditc import ITEMS as AUDITC_ITEMS
from .auditc import LICENCE_NOTE, OCCASIONS
from .base import Band, Instrument, Item, Option

YES_NO_YEAR = (
    Option("No", 0),
    Option("Yes, but not in the last year", 2),
    Option("Yes, during the last year", 4),
)

_FREQUENCY_ITEMS = (
    "How often during the last year have you found that you were not able to stop drinking "
    "once you had started?",
    "How often during the last year have you failed to do what was normally expected from "
    "you because of your drinking?",
    "How often during the last year have you needed an alcoholic drink in the morning to get "
    "yourself going after a heavy drinking session?",
    "How often during the last year have you had a feeling of guilt or remorse after drinking?",
    "How often during the last year have you been unable to remember what happened the night "
    "before because you had been drinking?",
)

ITEMS = (
    *AUDITC_ITEMS,
    *(Item(number, text, OCCASIONS) for number, text in enumerate(_FREQUENCY_ITEMS, start=4)),
    Item(9, "Have you or somebody else been injured as a result of your drinking?", YES_NO_YEAR),
    Item(
        10,
        "Has a relative or friend, doctor or other health worker been concerned about your "
        "drinking or suggested that you cut down?",
        YES_NO_YEAR,
    ),
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "WHO AUDIT manual (Babor et al., 2nd edition, 2001): developed and validated with"
        " adults; cut-offs for young people differ."
    ),
    code="audit",
    name="AUDIT",
    title="Alcohol Use Disorders Identification Test (AUDIT)",
    version="AUDIT (WHO 2001, UK units)",
    items=ITEMS,
    bands=(
        Band("lower risk", 0, 7),
        Band("increasing risk", 8, 15),
        Band("higher risk", 16, 19),
        Band("possible dependence", 20, 40),
    ),
    cutoff=8,
    cutoff_label="8 or more: increasing risk or above (WHO hazardous drinking cut-off)",
    licence_note=LICENCE_NOTE,
    max_total=40,
)
