"""Forms for staff pages, grouped by what they record. Choices of people and teams are passed in,
already scoped; import them from here."""

from .carers import (
    CarerAddForm,
    CarerDetailsForm,
    CarerEditForm,
    RelationshipFieldsMixin,
    RelationshipForm,
)
from .contacts import ContactForm, ReviewForm
from .fields import PlainTextField, UserChoiceField, combine, parse_time
from .items import RetractForm, SharedItemForm
from .pages import PERIODS, InformationPageForm, ReportForm
from .replies import ReplyForm
from .sharing import AgreementForm, WithdrawForm
from .stays import StayForm
from .support import SupportForm

__all__ = [
    "PERIODS",
    "AgreementForm",
    "CarerAddForm",
    "CarerDetailsForm",
    "CarerEditForm",
    "ContactForm",
    "InformationPageForm",
    "PlainTextField",
    "RelationshipFieldsMixin",
    "RelationshipForm",
    "ReplyForm",
    "ReportForm",
    "RetractForm",
    "ReviewForm",
    "SharedItemForm",
    "StayForm",
    "SupportForm",
    "UserChoiceField",
    "WithdrawForm",
    "combine",
    "parse_time",
]
