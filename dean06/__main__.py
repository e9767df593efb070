"""`dean06 COMMAND` runs a Django management command (`dean06 migrate`, `dean06 units resolve …`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dean06", *sys.argv[1:]])


if __name__ == "__main__":
    main()
