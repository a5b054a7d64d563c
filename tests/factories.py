"""Factories for tests: synthetic people only."""

import datetime

import factory
import nhs_number
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.organisations.choices import CareSetting, Pathway
from healthjustice.organisations.models import (
    DataSharingAgreement,
    Membership,
    Organisation,
    Region,
    Team,
)
from healthjustice.organisations.roles import Role
from healthjustice.people.models import CareRelationship, Person
from healthjustice.people.services import search_names_rebuild


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("ods_code",)

    name = factory.Sequence(lambda n: f"Test NHS Trust {n}")
    ods_code = factory.Sequence(lambda n: f"T{n:04d}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    region = factory.SubFactory(RegionFactory)
    pathway = Pathway.LIAISON_DIVERSION
    settings_covered = [CareSetting.POLICE_CUSTODY, CareSetting.COURT]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.PRACTITIONER
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


def staff(role: str = Role.PRACTITIONER, team: Team | None = None, **kwargs) -> User:
    """A user holding `role` in `team` (a new team when none is given)."""
    membership = MembershipFactory(role=role, team=team or TeamFactory(), **kwargs)
    return membership.user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    sex = "1"
    nhs_number = factory.Sequence(
        lambda n: nhs_number.generate(for_region=nhs_number.REGION_SYNTHETIC)[0]
    )

    @factory.post_generation
    def team(obj, create, extracted, **kwargs):
        if create:
            search_names_rebuild(obj)
            if extracted is not None:
                CareRelationship.objects.create(person=obj, team=extracted)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSharingAgreement

    title = "Test data-sharing agreement"
    reference = factory.Sequence(lambda n: f"DSA-{n:04d}")
    purposes = [Pathway.LIAISON_DIVERSION]
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
