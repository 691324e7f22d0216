"""``python -m landcoord``: the command line."""

import sys

from landcoord.cli import main

sys.exit(main())
