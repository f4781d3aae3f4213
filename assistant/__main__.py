"""`python -m assistant ...`."""

import sys

from .cli import main

if __name__ == "__main__":  # not when a spawned worker process (the JSON API's) re-imports the main module
    sys.exit(main())
