#!/usr/bin/env python
import os
import sys


def main() -> None:
    # Production unless told otherwise: `make run` and `make test` choose local and test settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthjustice.config.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
