"""The app layers of docs/adr/0003-layers.md hold: import-linter's contracts (pyproject.toml) pass.

`make lint` runs the same check; this keeps it in the suite, so a run of the tests alone
catches an import that goes up a layer or across between sibling apps.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_no_app_imports_a_layer_above_it_or_a_sibling():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603  (a fixed command, no input from outside)
        [str(lint_imports), "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
