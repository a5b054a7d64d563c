"""Factories and small builders for carers' tests: synthetic people only."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from healthjustice.accounts.models import User
from healthjustice.carers import services
from healthjustice.carers.choices import (
    Capacity,
    ContactMethod,
    Relationship,
    SecureLevel,
    ShareCategory,
)
from healthjustice.carers.models import (
    Carer,
    CarerInformationPage,
    CarerRelationship,
    CarerSupport,
    SecureServiceStay,
    SharedItem,
    SharingAgreement,
)
from healthjustice.organisations.models import Team
from healthjustice.people.models import Person
from tests.factories import PersonFactory, TeamFactory, UserFactory, staff

CARER_PASSWORD = "correct-horse-battery"


class CarerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carer
        skip_postgeneration_save = True

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    phone = "07700 900123"
    email = factory.LazyAttribute(lambda o: f"{o.given_name.lower()}@example.org")
    preferred_contact_method = ContactMethod.PHONE
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def support(obj, create, extracted, **kwargs):
        if create:
            CarerSupport.objects.get_or_create(carer=obj)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerRelationship

    carer = factory.SubFactory(CarerFactory)
    patient = factory.SubFactory(PersonFactory)
    relationship = Relationship.PARENT


class StayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecureServiceStay

    person = factory.SubFactory(PersonFactory)
    level = SecureLevel.LOW_SECURE
    hospital_or_team = "Stafford low secure unit"
    ward = "Cedar Ward"
    team = factory.SubFactory(TeamFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharingAgreement

    relationship = factory.SubFactory(RelationshipFactory)
    categories = factory.LazyFunction(lambda: [ShareCategory.WELLBEING])
    capacity = Capacity.HAS_CAPACITY
    recorded_by = factory.SubFactory(UserFactory)
    review_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class SharedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharedItem

    relationship = factory.SubFactory(RelationshipFactory)
    category = ShareCategory.WELLBEING
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "They had a good week."
    written_by = factory.SubFactory(UserFactory)


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerInformationPage

    title = factory.Sequence(lambda n: f"Information page {n}")
    slug = factory.Sequence(lambda n: f"information-page-{n}")
    body = "Plain words for carers.\n\n- One point\n- Another point"
    is_published = True


def carer_account(carer: Carer, username: str | None = None) -> User:
    """A portal account for `carer`."""
    user = UserFactory(
        username=username or f"carer-{carer.pk}",
        kind=User.Kind.CARER,
        first_name=carer.given_name,
        last_name=carer.family_name,
    )
    carer.user = user
    carer.save(update_fields=["user"])
    return user


# Patients get unusual names so a test can be sure a page does not mention them by chance: a
# carer is often family, and Faker may give the carer or a member of staff the same surname.
_PATIENT_NAMES = itertools.cycle(["Ezekiel", "Isadora", "Thaddeus", "Ottilie", "Leopold", "Zinnia"])
_PATIENT_SURNAMES = itertools.cycle(["Quarrendon", "Vellacott", "Brightwhistle", "Ormerod-Pask"])


class Ward:
    """A ward team with a key worker and a ward manager, and a patient staying on the ward."""

    def __init__(self, team: Team | None = None) -> None:
        from healthjustice.organisations.roles import Role

        self.team = team or TeamFactory(name="Cedar Ward team")
        self.key_worker = staff(team=self.team)
        self.ward_manager = staff(Role.TEAM_LEADER, team=self.team)
        self.patient: Person = PersonFactory(
            team=self.team, given_name=next(_PATIENT_NAMES), family_name=next(_PATIENT_SURNAMES)
        )
        self.stay = StayFactory(
            person=self.patient,
            team=self.team,
            key_worker=self.key_worker,
            ward_manager=self.ward_manager,
        )

    def carer(self, **kwargs) -> tuple[Carer, CarerRelationship]:
        carer = CarerFactory(team=self.team, **kwargs)
        rel = RelationshipFactory(carer=carer, patient=self.patient)
        return carer, rel

    def agree(self, rel: CarerRelationship, categories: list[str]) -> SharingAgreement:
        return services.agreement_record(
            actor=self.key_worker,
            relationship=rel,
            categories=categories,
            capacity=Capacity.HAS_CAPACITY,
            review_on=timezone.localdate() + datetime.timedelta(days=90),
        )

    def write(self, rel: CarerRelationship, category: str, title: str, **kwargs) -> SharedItem:
        return services.shared_item_write(
            actor=self.key_worker,
            relationship=rel,
            category=category,
            title=title,
            body=kwargs.pop("body", f"Body of {title}"),
            **kwargs,
        )
