"""The access matrix: every URL of the site, for every role, with the expected outcome.

Each app's tests hold an `access_cases.py` defining `CASES: list[Case]`. The matrix test
collects them all and fails when any URL pattern of the site has no case, so a new page
cannot ship without saying who may reach it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "anonymous",
    "practitioner",
    "practitioner_other_team",
    "team_leader",
    "service_manager",
    "equality_lead",
    "ig_auditor",
    "system_admin",
    "carer",
)
# Staff whose team works with the world's person.
CARE_TEAM = ("practitioner", "team_leader", "service_manager")
CLINICAL = (*CARE_TEAM, "practitioner_other_team")
LEADERS = ("team_leader", "service_manager")
SIGNED_IN_STAFF = tuple(r for r in ROLES if r not in ("anonymous", "carer"))

LOGIN = "login"  # a redirect to the sign-in page


@dataclass(frozen=True)
class Case:
    """One URL name, how to build its arguments, and the outcome per role.

    `expect` maps a role to a status code (or LOGIN); roles not named get `otherwise`.
    """

    url_name: str
    expect: dict[str, int | str]
    otherwise: int | str = 403
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] | None = None
    anonymous: int | str = LOGIN
    note: str = ""
    id_suffix: str = field(default="")

    def expected_for(self, role: str) -> int | str:
        if role == "anonymous" and "anonymous" not in self.expect:
            return self.anonymous
        return self.expect.get(role, self.otherwise)

    @property
    def id(self) -> str:
        return f"{self.url_name}{self.id_suffix}:{self.method}"


def allow(roles: Iterable[str], status: int = 200, **extra: int | str) -> dict[str, int | str]:
    """`roles` get `status`; keyword arguments override single roles."""
    result: dict[str, int | str] = dict.fromkeys(roles, status)
    result.update(extra)
    return result
