"""The check for a person already registered, made by the matcher (`lookup`) when someone is
registered (added to the people app's page with `people.duplicates.register_duplicate_check`).

The person's name and each other name they gave are looked up together with the same details.
A person found is shown when the user may see them (`people.access.visible_people`), strong
evidence first, each with the match probability in words and which details agree; a person
found on strong evidence whom the user may not see is only counted, and one found on weak
evidence is not mentioned at all.

Weak evidence is never shown as near certainty: twins (one family name, date of birth and
address, given names a letter apart) and a father and son of the same name (one name and
address, a generation apart) agree on so much that their probability can be high, and the
lookup keeps such pairs weak whatever the score (`lookup`: a given name one letter away, a date
of birth more than a slip apart, names that conflict). Their words say "possibly", with the
percentage only below "likely".
"""

from __future__ import annotations

from dataclasses import replace

from healthjustice.accounts.models import User
from healthjustice.people.duplicates import DuplicateCheck, LikelyDuplicate, NewPerson

from .lookup import BY_IDENTIFIER, Verdict, judge, read_people, who_sees
from .scoring import FIELDS, probability
from .selectors import FIELD_LABELS, comparisons_of, probability_in_words

# People shown on the warning at most, and the most counted among those held elsewhere.
SHOWN = 5
HIDDEN_CAP = 20
# What registration compares: the form asks for no sex the register's search names carry.
_LABELS = {name: label for name, label in FIELD_LABELS.items() if name != "sex"}
_BY = {BY_IDENTIFIER: "an identifier matches"}


def _sought(new: NewPerson) -> list[NewPerson]:
    """The person under each name they gave, with the same other details."""
    names = [(new.given_name, new.family_name), *new.other_names]
    return [replace(new, given_name=g, family_name=f) for g, f in dict.fromkeys(names)]


def in_words(verdict: Verdict) -> str:
    """The probability in words; for weak evidence never more than "possibly"."""
    p = probability(verdict.weight)
    if verdict.strong or p < 0.75:
        return probability_in_words(p)
    return "possibly the same person: check the details, a relative can look like this"


def likely_duplicates(user: User, new: NewPerson) -> DuplicateCheck:
    best: dict[int, Verdict] = {}
    for judged in judge(_sought(new)):
        for pk, verdict in judged.items():
            kept = best.get(pk)
            if kept is None or (verdict.strong, verdict.weight) > (kept.strong, kept.weight):
                best[pk] = verdict
    if not best:
        return DuplicateCheck()
    found = sorted(best)
    visible, held = who_sees(user, found)
    hidden = len([pk for pk in held if best[pk].strong])
    order = sorted(visible, key=lambda pk: (not best[pk].strong, -best[pk].weight, pk))[:SHOWN]
    people = read_people(order)
    shown = [
        LikelyDuplicate(
            people[pk],
            in_words(best[pk]),
            [_BY[best[pk].by]] if best[pk].by in _BY else [],
            comparisons_of(_levels(best[pk]), _LABELS),
        )
        for pk in order
        if pk in people
    ]
    return DuplicateCheck(shown, min(hidden, HIDDEN_CAP))


def _levels(verdict: Verdict) -> dict[str, int | None]:
    return {
        name: (None if level < 0 else level)
        for name, level in zip(FIELDS, verdict.levels, strict=True)
    }
