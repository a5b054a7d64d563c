from datetime import date, datetime

from django.utils import timezone


def format_date(value: date | datetime | None) -> str:
    """'22 November 2026', the NHS style."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def format_datetime(value: datetime | None) -> str:
    """'22 November 2026 at 2:05pm'."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{format_date(local)} at {hour}:{local:%M}{suffix}"


def age_on(born: date | None, on: date | None = None) -> int | None:
    if born is None:
        return None
    today = on or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
