"""Demo records to merge, in the Staffordshire custody team.

- A likely duplicate pair, left for `team_leader.staffs` to merge: one person registered twice,
  the second time today with another spelling of the first name, the same date of birth and no
  NHS number. Each record has one episode: an old closed one, and one open now in custody.
- A pair already merged by `service_manager.staffs` (the family name was mistyped the second
  time), so the list of merges (`/people/merges/`) is not empty.

The people are generated and registered as the base demo people are (`healthjustice.demo.people`)
and merged through `merging.person_merge`. They are left out of the context's team lists, so
no other seeder opens episodes for them. `seed_demo --reset` deletes them with the other demo
people; their merge records and moves go with them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.demo.generator import Draft, PersonGenerator, Pools
from healthjustice.demo.identifiers import demo_nhs_numbers
from healthjustice.demo.people import backdate_registration, register_draft
from healthjustice.demo.registry import DemoContext, register_demo_seeder
from healthjustice.journeys.choices import ClosureReason, Stage
from healthjustice.journeys.models import Episode
from healthjustice.journeys.services import episode_move, episode_open
from healthjustice.organisations.choices import SiteKind
from healthjustice.organisations.models import Site, Team
from healthjustice.people.choices import GenderIdentity, NhsNumberMissingReason, Sex
from healthjustice.people.merging import person_merge
from healthjustice.people.models import EthnicCategory, Person, PersonChange, PersonMerge

REGION = "staffs"
TEAM_KEY = f"{REGION}.custody"
REGISTRAR = f"practitioner.{REGION}"
MERGER = f"service_manager.{REGION}"
# Men's first names often spelt two ways; the duplicate record has the second spelling.
FIRST_NAME_SPELLINGS = [
    ("Stephen", "Steven"),
    ("Jonathan", "Johnathan"),
    ("Philip", "Phillip"),
    ("Matthew", "Mathew"),
    ("Stuart", "Stewart"),
    ("Neil", "Neal"),
    ("Carl", "Karl"),
    ("Alan", "Allan"),
]
# What a hurried second registration in custody holds; everything else is left blank.
SECOND_REGISTRATION_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "gender_identity",
    "address_line_1",
    "town",
    "postcode",
    "no_fixed_abode",
)
H = datetime.timedelta(hours=1)
MERGE_REASON = (
    "Same person: the family name was mistyped when he was registered again in custody. The "
    "date of birth and address match, and he confirmed his details at interview."
)


def mistype(name: str) -> str:
    """`name` with two neighbouring letters near its middle swapped, as in a hurried typing."""
    middle = len(name) // 2
    for i in sorted(range(1, len(name) - 1), key=lambda i: abs(i - middle)):
        first, second = name[i], name[i + 1]
        if first.isalpha() and second.isalpha() and first.lower() != second.lower():
            return name[:i] + second + first + name[i + 2 :]
    return name + name[-1]


class _Registrations:
    """Registers generated people in one team, through the people services."""

    def __init__(self, ctx: DemoContext, team: Team, actor: User) -> None:
        self.ctx, self.team, self.actor = ctx, team, actor
        self.today = timezone.localdate()
        taken = Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True)
        # Two drafts take at most two numbers, and two records given one take two more.
        self.numbers = iter(demo_nhs_numbers(4, taken))
        self.generator = PersonGenerator(
            ctx.rng, Pools.build(ctx.faker, ctx.rng, size=20), self.numbers, self.today
        )
        self.categories = {
            c.code: c for c in EthnicCategory.objects.filter(code_list__is_current=True)
        }

    def first(self, given_name: str) -> Draft:
        """A full record of a man, with his NHS number and date of birth."""
        draft = self.generator.draft(REGION)
        fields = draft.fields
        fields.update(
            given_name=given_name,
            preferred_name="",
            sex=Sex.MALE,
            gender_identity=GenderIdentity.MALE,
        )
        if fields["date_of_birth"] is None:
            age = datetime.timedelta(days=self.ctx.rng.randint(20 * 365, 50 * 365))
            fields.update(date_of_birth=self.today - age, date_of_birth_estimated=False)
        if not fields["nhs_number"]:
            fields.update(nhs_number=next(self.numbers), nhs_number_missing_reason="")
        draft.aliases = []
        return draft

    def second(self, first: Draft, **changed: str) -> Draft:
        """The same man registered again in a hurry: the basics only, and no NHS number."""
        fields = {name: first.fields[name] for name in SECOND_REGISTRATION_FIELDS}
        fields.update(
            changed,
            nhs_number=None,
            nhs_number_missing_reason=NhsNumberMissingReason.NOT_YET_TRACED,
        )
        return Draft(first.region, first.area, first.ethnic_code, fields)

    def register(self, draft: Draft, *, days_ago: int | None = None) -> Person:
        person = register_draft(
            draft, actor=self.actor, team=self.team, categories=self.categories, today=self.today
        )
        if days_ago is not None:
            started = self.today - datetime.timedelta(days=days_ago)
            backdate_registration(person, started, self.ctx.rng)
            person.refresh_from_db()
        return person


def _closed_episode(
    actor: User, person: Person, team: Team, site: Site | None, reason: str
) -> Episode:
    """An episode from when the record was registered, closed before anyone saw him."""
    referred_at = person.created_at - datetime.timedelta(minutes=20)
    episode = episode_open(
        actor=actor,
        person=person,
        team=team,
        setting="police_custody",
        site=site,
        referral_source="custody_sergeant",
        referred_at=referred_at,
        reason=reason,
    )
    episode_move(
        actor=actor,
        episode=episode,
        to_stage=Stage.CLOSED,
        closure_reason=ClosureReason.RELEASED_OR_TRANSFERRED,
        note="Released on bail before he could be seen",
        at=referred_at + 3 * H,
    )
    return episode


def _backdate_merge(merge: PersonMerge, at: datetime.datetime) -> None:
    people = (merge.keep_id, merge.duplicate_id)
    PersonChange.objects.filter(person_id__in=people, at=merge.merged_at).update(at=at)
    Person.objects.filter(pk__in=people).update(updated_at=at)
    Person.objects.filter(pk=merge.duplicate_id).update(merged_at=at)
    PersonMerge.objects.filter(pk=merge.pk).update(merged_at=at)
    merge.refresh_from_db()


@register_demo_seeder
def seed_people_demo(ctx: DemoContext) -> None:
    """Add the duplicate pair to merge and the merged pair (see the module docstring)."""
    team = ctx.teams[TEAM_KEY]
    practitioner = ctx.users[REGISTRAR]
    site = team.sites.filter(is_active=True, kind=SiteKind.CUSTODY_SUITE).order_by("name").first()
    records = _Registrations(ctx, team, practitioner)
    now = timezone.now().replace(microsecond=0)

    # Merged three weeks ago: the duplicate's closed episode now sits on the kept record.
    kept_draft = records.first(ctx.faker.first_name_male())
    kept = records.register(kept_draft, days_ago=420)
    mistyped = records.register(
        records.second(kept_draft, family_name=mistype(kept_draft.fields["family_name"])),
        days_ago=150,
    )
    _closed_episode(practitioner, mistyped, team, site, "Appeared low and withdrawn at booking-in.")
    merge = person_merge(
        actor=ctx.users[MERGER], keep=kept, duplicate=mistyped, reason=MERGE_REASON
    )
    _backdate_merge(merge, now - datetime.timedelta(days=21, hours=3))

    # Registered again today under another spelling, while in custody now: left to merge.
    spelling, other_spelling = ctx.rng.choice(FIRST_NAME_SPELLINGS)
    first_draft = records.first(spelling)
    first = records.register(first_draft, days_ago=260)
    _closed_episode(practitioner, first, team, site, "Custody nurse worried about his drinking.")
    second = records.register(records.second(first_draft, given_name=other_spelling))
    episode_open(
        actor=practitioner,
        person=second,
        team=team,
        setting="police_custody",
        site=site,
        referral_source="custody_sergeant",
        referred_at=now - 3 * H,
        reason="Shaking and sweating at booking-in; says he drinks every day.",
        cj_details={"arrived_in_custody_at": now - 4 * H, "offence_category": "theft"},
    )

    ctx.extra["people.likely_duplicates"] = [first, second]
    ctx.extra["people.merge"] = merge
    born_on = first.date_of_birth
    born = f"{born_on.day} {born_on:%B %Y}" if born_on else "on an unknown date"
    ctx.log(
        f"Likely duplicate records in {team.name}, for team_leader.{REGION} to merge: "
        f"{first.full_name} and {second.full_name}, both born {born}. "
        "One merge already made."
    )
