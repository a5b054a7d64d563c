"""Background tasks of the matching app (run by `manage.py run_worker`)."""

from django_tasks import task

from .services import duplicate_scan_run


@task()
def run_duplicate_scan(public_id: str) -> dict | None:
    """Look for likely duplicates across the whole register; returns the counts."""
    return duplicate_scan_run(public_id=public_id).counts
