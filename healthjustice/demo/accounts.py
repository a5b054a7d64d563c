"""Demo sign-ins: one account per staff role per region, and a second Staffordshire practitioner.

Every demo account shares one password: HJ_DEMO_PASSWORD, or a default that passes the
password validators (three random words, as the NCSC advises). Demo accounts are marked
`is_demo` and exist only with the demo data.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from healthjustice.accounts.models import User
from healthjustice.organisations.models import Membership, Team
from healthjustice.organisations.roles import Role

from .reference import BLACK_COUNTRY, STAFFS

DEFAULT_DEMO_PASSWORD = "lantern-orchard-pebble"  # noqa: S105 - published demo sign-in, demo data only
# The earlier default, which the password rules now refuse: demo accounts still holding it are
# moved to the current default when the demo data is checked, so the printed sign-ins work.
PREVIOUS_DEMO_PASSWORDS = ("Demo-Passw0rd-2026",)
PASSWORD_ENV = "HJ_DEMO_PASSWORD"  # noqa: S105 - the name of the variable, not a password
EMAIL_DOMAIN = "demo.example.org"

JOB_TITLES = {
    Role.PRACTITIONER: "Liaison and diversion practitioner",
    Role.TEAM_LEADER: "Liaison and diversion team leader",
    Role.SERVICE_MANAGER: "Health and justice service manager",
    Role.EQUALITY_LEAD: "Patient and carer race equality (PCREF) lead",
    Role.IG_AUDITOR: "Information governance officer",
    Role.SYSTEM_ADMIN: "Clinical systems administrator",
}
ROLE_ORDER = [
    Role.PRACTITIONER,
    Role.TEAM_LEADER,
    Role.SERVICE_MANAGER,
    Role.EQUALITY_LEAD,
    Role.IG_AUDITOR,
    Role.SYSTEM_ADMIN,
]


@dataclass(frozen=True)
class AccountSpec:
    username: str
    role: Role
    team_keys: tuple[str, ...]
    job_title: str


def _region_accounts(region: str, team_keys: list[str]) -> list[AccountSpec]:
    custody = f"{region}.custody"
    teams_for = {
        Role.PRACTITIONER: (custody,),
        Role.TEAM_LEADER: (custody,),
        # A service manager runs every team in the region.
        Role.SERVICE_MANAGER: tuple(k for k in team_keys if k.startswith(f"{region}.")),
        Role.EQUALITY_LEAD: (custody,),
        Role.IG_AUDITOR: (custody,),
        Role.SYSTEM_ADMIN: (custody,),
    }
    return [
        AccountSpec(f"{role.value}.{region}", role, teams_for[role], JOB_TITLES[role])
        for role in ROLE_ORDER
    ]


def account_specs(team_keys: list[str]) -> list[AccountSpec]:
    specs = _region_accounts(STAFFS, team_keys)
    specs.insert(
        1,
        AccountSpec(
            f"practitioner2.{STAFFS}",
            Role.PRACTITIONER,
            (f"{STAFFS}.court",),
            "Court liaison and diversion practitioner",
        ),
    )
    return specs + _region_accounts(BLACK_COUNTRY, team_keys)


def demo_password() -> str:
    return os.environ.get(PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def check_demo_password(password: str) -> None:
    """Refuse a demo password the site's own validators would refuse."""
    try:
        validate_password(password, User(username="practitioner.staffs"))
    except ValidationError as exc:
        raise ValidationError(
            f"{PASSWORD_ENV} is not an acceptable password: {' '.join(exc.messages)}"
        ) from exc


@transaction.atomic
def replace_previous_default_passwords(password: str) -> int:
    """Give `password` to demo accounts still holding an earlier default; how many there were.

    An account whose password someone changed keeps it.
    """
    check_demo_password(password)
    replaced = 0
    for user in User.objects.filter(is_demo=True, kind=User.Kind.STAFF):
        if any(check_password(old, user.password) for old in PREVIOUS_DEMO_PASSWORDS):
            user.set_password(password)
            user.save(update_fields=["password"])
            replaced += 1
    return replaced


@transaction.atomic
def seed_accounts(*, teams: dict[str, Team], faker: Faker, password: str) -> dict[str, User]:
    """Create the demo accounts that are missing; existing ones are left as they are."""
    check_demo_password(password)
    starts_on = timezone.localdate() - datetime.timedelta(days=365)
    users: dict[str, User] = {}
    for spec in account_specs(list(teams)):
        # Names are drawn even for existing accounts so the sequence is the same each run.
        first, last = faker.first_name(), faker.last_name()
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{spec.username}@{EMAIL_DOMAIN}",
                "job_title": spec.job_title,
                "kind": User.Kind.STAFF,
                "is_demo": True,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        for key in spec.team_keys:
            if not Membership.objects.filter(user=user, team=teams[key], role=spec.role).exists():
                Membership.objects.create(
                    user=user, team=teams[key], role=spec.role, starts_on=starts_on
                )
        users[spec.username] = user
    replace_previous_default_passwords(password)
    return users


def demo_accounts_exist() -> bool:
    return User.objects.filter(is_demo=True).exists()


def account_lines(password: str) -> list[str]:
    """`username<TAB>password<TAB>role<TAB>team` for every demo account, staff then carers."""
    lines = []
    users = (
        User.objects.filter(is_demo=True)
        .prefetch_related("memberships__team")
        .order_by("-kind", "date_joined", "id")
    )
    for user in users:
        memberships = sorted(user.memberships.all(), key=lambda m: m.team.name)
        roles = sorted({m.role for m in memberships}) or [
            Role.CARER if user.kind == User.Kind.CARER else ""
        ]
        teams = ", ".join(dict.fromkeys(m.team.name for m in memberships))
        lines.append("\t".join([user.username, password, ", ".join(map(str, roles)), teams]))
    return lines
