"""What the equity figures count for each pathway and for carers: who is counted, the steps
whose shares are compared between ethnic groups, and the waits.

A step is a share of the cases (episodes, or carers) or of an earlier step: "attended a first
appointment" is a share of those referred on, so a group referred on less often is not also
counted as attending less. The facts behind each step are read in `selectors.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from healthjustice.organisations.choices import Pathway

CASES = "cases"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    of: str = CASES  # CASES, or the key of an earlier step


@dataclass(frozen=True)
class Wait:
    key: str
    label: str


@dataclass(frozen=True)
class PathwayFigures:
    """How one pathway's figures read: its words, its steps and its waits."""

    key: str
    name: str
    cases: str  # what a case is, plural: "episodes", "carers"
    counted: str  # the people counted, for the access table: "People seen"
    counted_note: str
    steps: tuple[Step, ...]
    waits: tuple[Wait, ...] = ()
    wait_unit: str = "hours"
    safeguards: tuple[Step, ...] = ()
    per_population: bool = True  # rates per 100,000 residents make sense for what is counted
    steps_heading: str = "What happened next"


# Coercion and disclosure, for every pathway whose cases are episodes: each a share of episodes.
SAFEGUARDS = (
    Step("without_consent", "A report issued without consent, on another lawful basis"),
    Step("break_glass", "Their record opened under break-glass in the period"),
    Step("restricted", "Their record restricted"),
)


LIAISON_DIVERSION = PathwayFigures(
    key=Pathway.LIAISON_DIVERSION,
    name="Liaison and Diversion",
    cases="episodes",
    counted="People seen",
    counted_note="different people with a Liaison and Diversion episode referred in the period",
    steps=(
        Step("screened", "Screened"),
        Step("assessed", "Assessed"),
        Step("referred_on", "Referred on to a service"),
        Step("attended", "Attended a first appointment (of those referred on)", "referred_on"),
    ),
    waits=(Wait("screening", "To screening"), Wait("assessment", "To assessment")),
    wait_unit="hours",
    safeguards=SAFEGUARDS,
)

MHTR = PathwayFigures(
    key=Pathway.MHTR,
    name="Mental Health Treatment Requirement",
    cases="episodes",
    counted="People referred",
    counted_note="different people with an MHTR episode referred in the period",
    steps=(
        Step("assessed", "Assessed for suitability"),
        Step("suitable", "Found suitable (of those assessed)", "assessed"),
        Step("order_made", "Order made by the court (of those found suitable)", "suitable"),
        Step("completed", "Order completed (of orders made)", "order_made"),
        Step(
            "measured", "Measured twice or more with PHQ-9 or GAD-7 (of orders made)", "order_made"
        ),
        Step("improved", "Reliable improvement (of those measured twice)", "measured"),
    ),
    waits=(Wait("suitability", "To the suitability assessment"),),
    wait_unit="days",
    safeguards=SAFEGUARDS,
)

RECONNECT = PathwayFigures(
    key=Pathway.RECONNECT,
    name="RECONNECT",
    cases="episodes",
    counted="People referred",
    counted_note="different people with a RECONNECT episode referred in the period",
    steps=(
        Step("eligible", "Eligible"),
        Step("engaged_before", "Engaged before release (of those eligible)", "eligible"),
        Step("released", "Released (of those eligible)", "eligible"),
        Step("gate_met", "Met at the gate (of those released)", "released"),
        Step("handed_over", "Handed over to a community service (of those released)", "released"),
        Step("engaged_after", "Engaged with it at 4 weeks (of those handed over)", "handed_over"),
    ),
    waits=(Wait("eligibility", "To the eligibility check"),),
    wait_unit="days",
    safeguards=SAFEGUARDS,
)

CARERS = PathwayFigures(
    key=Pathway.CARERS,
    name="Carers' support",
    cases="carers",
    counted="Carers identified",
    counted_note="carers identified in the period, by the ethnic group they gave",
    steps=(
        Step("toolkit", "Given the carers' toolkit"),
        Step("offered", "Offered a carer's assessment"),
        Step("completed", "Carer's assessment completed (of those offered)", "offered"),
        Step("sharing", "Sharing agreement in force with a patient they care for"),
    ),
    waits=(Wait("offered", "To the offer of a carer's assessment"),),
    wait_unit="days",
)

# What patients, carers and families said through the feedback form, by the ethnic group they
# chose to give: the Friends and Family Test and the fairness question. Aggregates only.
FEEDBACK = PathwayFigures(
    key="feedback",
    name="Feedback",
    cases="responses",
    counted="Responses",
    counted_note="feedback given in the period, by the ethnic group the person chose to give",
    steps=(
        Step("rated", 'Rated their experience (not "don\'t know")'),
        Step("positive", "Very good or good (of those who rated it)", "rated"),
        Step("negative", "Poor or very poor (of those who rated it)", "rated"),
        Step("answered_fairness", 'Answered the fairness question (not "prefer not to say")'),
        Step("fair", "Felt treated fairly (of those who answered)", "answered_fairness"),
        Step(
            "not_fair", "Did not feel treated fairly (of those who answered)", "answered_fairness"
        ),
    ),
    per_population=False,
    steps_heading="What people told us",
)

# Re-contact: episodes closed in the period (at least a year ago), and whether the person came
# back to the service within 12 months. Read by `selectors.revolving_door` for any episode pathway.
REVOLVING_DOOR = PathwayFigures(
    key="revolving_door",
    name="Re-contact within 12 months",
    cases="closed episodes",
    counted="People whose episode closed",
    counted_note="different people whose episode closed in the period, a year or more ago",
    steps=(Step("recontact", "Back in contact with the service within 12 months"),),
)

BY_KEY: dict[str, PathwayFigures] = {
    p.key: p for p in (LIAISON_DIVERSION, MHTR, RECONNECT, CARERS, FEEDBACK)
}
