"""Every row of a list matched against the register together, for one user.

The rows are looked up by the matcher (`matching.lookup`: identifiers, names and dates of birth,
the scoring); this decides how each row stands for the person looking: **known** to their team
(strong evidence about a record they may see), known to the service but not visible to them
(counted, never named), a **possible** match, or new.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from healthjustice.accounts.models import User
from healthjustice.matching.lookup import (
    BY_IDENTIFIER,
    SIMILAR,
    Verdict,
    Wanted,
    judge,
    pnc_forms,
    read_people,
    who_sees,
)
from healthjustice.matching.scoring import Model
from healthjustice.people.models import Person

from .choices import MatchState

__all__ = ["RowMatch", "match_rows", "pnc_forms"]

# People shown on a row, and the count of records held elsewhere (only ever "some").
SHOWN = 5
HIDDEN_CAP = 20


@dataclass
class RowMatch:
    state: MatchState
    people: list[Person] = field(default_factory=list)  # visible to the user, best first
    hidden: int = 0  # held by the service, not visible to the user
    by: str = ""  # "identifier", "name and date of birth", or for possible ones "a similar name"
    person_ids: list[int] = field(default_factory=list)  # the people's ids, best first


def match_rows(
    user: User, rows: Sequence[Wanted], *, load_people: bool = True, model: Model | None = None
) -> list[RowMatch]:
    """How each row stands for `user`: known to their team, known to the service only, a
    possible match, or new. With `load_people` the people shown are loaded (for a page);
    without, only their ids (for storing each row's state)."""
    rows = list(rows)
    if not rows:
        return []
    verdicts = judge(rows, model=model)
    matched = sorted({pk for judged in verdicts for pk in judged})
    visible, held = who_sees(user, matched)
    countable = visible | held
    matches = [_state(judged, visible, countable) for judged in verdicts]
    if load_people:
        loaded = read_people({pk for m in matches for pk in m.person_ids})
        for match in matches:
            match.people = [loaded[pk] for pk in match.person_ids if pk in loaded]
    return matches


def _state(judged: dict[int, Verdict], visible: set[int], countable: set[int]) -> RowMatch:
    def best_first(pks: list[int]) -> list[int]:
        return sorted(pks, key=lambda pk: (judged[pk].by != BY_IDENTIFIER, -judged[pk].weight, pk))

    strong = best_first([pk for pk, v in judged.items() if v.strong])
    weak = best_first([pk for pk, v in judged.items() if not v.strong])
    for state, pks in ((MatchState.KNOWN, strong), (MatchState.POSSIBLE, weak)):
        shown = [pk for pk in pks if pk in visible]
        hidden = min(len([pk for pk in pks if pk in countable and pk not in visible]), HIDDEN_CAP)
        if shown or (hidden and state == MatchState.POSSIBLE):
            by = judged[shown[0]].by if shown else SIMILAR
            return RowMatch(state, [], hidden, by, shown[:SHOWN])
        if hidden:
            best = next(pk for pk in pks if pk in countable and pk not in visible)
            return RowMatch(MatchState.HIDDEN, [], hidden, judged[best].by)
    return RowMatch(MatchState.NEW)
