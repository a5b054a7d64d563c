"""Is the person being registered already on the register? Checked before registering.

What the user sees: the likely matches they may see, each with how likely it is in words and
which details agree and which do not, and only a count of likely matches held by teams they
cannot see (never a name or a date). The check itself is the identity matcher's, which sits
above this app (docs/adr/0003-layers.md): it adds itself with `register_duplicate_check` from its
`AppConfig.ready`. Without one, the name search (`selectors.possible_duplicates`) answers.

Nothing here records a view: a candidate's name on the warning is not an opened record (the
person search lists names the same way); opening one is audited on its page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from healthjustice.accounts.models import User
from healthjustice.core.registry import Registry

from .models import Person


@dataclass(frozen=True)
class NewPerson:
    """The identifying details of a person about to be registered."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    nhs_number: str = ""
    pnc_id: str = ""
    prison_number: str = ""
    postcode: str = ""
    no_fixed_abode: bool = False
    other_names: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> NewPerson:
        return cls(
            given_name=data.get("given_name") or "",
            family_name=data.get("family_name") or "",
            date_of_birth=data.get("date_of_birth"),
            nhs_number=data.get("nhs_number") or "",
            pnc_id=data.get("pnc_id") or "",
            prison_number=data.get("prison_number") or "",
            postcode=data.get("postcode") or "",
            no_fixed_abode=bool(data.get("no_fixed_abode")),
            other_names=tuple((g, f) for g, f in data.get("other_names") or ()),
        )


@dataclass(frozen=True)
class Agreement:
    """One detail compared: its label, how the two records compare, and the verdict
    ("agrees", "partly", "disagrees" or "missing")."""

    label: str
    words: str
    verdict: str


@dataclass
class LikelyDuplicate:
    person: Person
    in_words: str  # "very likely the same person (97%)"
    reasons: list[str] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)


@dataclass
class DuplicateCheck:
    shown: list[LikelyDuplicate] = field(default_factory=list)  # the user may see them
    hidden: int = 0  # likely matches held by teams the user cannot see: a count only

    def __bool__(self) -> bool:
        return bool(self.shown or self.hidden)


DuplicateCheckFn = Callable[[User, NewPerson], DuplicateCheck]
duplicate_checks: Registry[DuplicateCheckFn] = Registry("checks for a person already registered")


def register_duplicate_check(check: DuplicateCheckFn) -> DuplicateCheckFn:
    return duplicate_checks.add(check)


def check_for_duplicates(user: User, new: NewPerson) -> DuplicateCheck:
    """The first check added (the identity matcher's), or the name search."""
    for check in duplicate_checks:
        return check(user, new)
    from .selectors import possible_duplicates

    shown, hidden = possible_duplicates(
        user,
        given_name=new.given_name,
        family_name=new.family_name,
        date_of_birth=new.date_of_birth,
        nhs_number=new.nhs_number or None,
    )
    return DuplicateCheck([LikelyDuplicate(m.person, "", m.reasons) for m in shown], hidden)
