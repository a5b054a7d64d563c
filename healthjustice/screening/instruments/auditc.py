"""AUDIT-C, UK version with units (WHO AUDIT questions 1-3)."""

from .base import Band, Instrument, Item, Option


def _options(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(label, score) for score, label in enumerate(labels))


FREQUENCY = _options(
    "Never",
    "Monthly or less",
    "2 to 4 times per month",
    "2 to 3 times per week",
    "4 or more times per week",
)
UNITS = _options("0 to 2", "3 to 4", "5 to 6", "7 to 9", "10 or more")
OCCASIONS = _options("Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily")

ITEMS = (
    Item(1, "How often do you have a drink containing alcohol?", FREQUENCY),
    Item(
        2,
        "How many units of alcohol do you drink on a typical day when you are drinking?",
        UNITS,
    ),
    Item(
        3,
        "How often have you had 6 or more units if female, or 8 or more if male, on a single "
        "occasion in the last year?",
        OCCASIONS,
    ),
)

LICENCE_NOTE = (
    "AUDIT © World Health Organization (Babor et al. 2001); may be reproduced without "
    "permission. UK wording with units as published by the Department of Health and Social "
    "Care / Office for Health Improvement and Disparities."
)

INSTRUMENT = Instrument(
    min_age=18,
    age_source=(
        "Derived from the WHO AUDIT (Bush et al., Arch Intern Med 1998;158:1789-1795, "
        "adult men); the UK cut-offs used here are for adults."
    ),
    code="auditc",
    name="AUDIT-C",
    title="Alcohol Use Disorders Identification Test-Consumption (AUDIT-C)",
    version="AUDIT-C (WHO, UK units)",
    items=ITEMS,
    bands=(Band("negative", 0, 4), Band("positive", 5, 12)),
    cutoff=5,
    cutoff_label="5 or more: positive, complete the full AUDIT",
    licence_note=LICENCE_NOTE,
    max_total=12,
)
