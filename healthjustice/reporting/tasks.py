"""Background tasks of the reporting app (run by `manage.py run_worker`)."""

from django_tasks import task

from .services import data_return_export_run


@task()
def run_data_return_export(public_id: str) -> int | None:
    """Build one monthly data return; returns the number of rows."""
    return data_return_export_run(public_id=public_id).rows
