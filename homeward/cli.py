"""The installed ``homeward`` command: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # Commands read better with hyphens (homeward create-token); Django names them with
    # underscores (create_token.py).
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["homeward", *args])


if __name__ == "__main__":
    main()
