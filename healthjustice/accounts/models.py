import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: a member of staff, or (later) a carer using the carers' portal."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        CARER = "carer", "Carer"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STAFF)
    job_title = models.CharField(max_length=120, blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Created by the demo data; removed when the demo data is reset."
    )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
