"""``python -m kenniskaart``: see :mod:`kenniskaart.cli`."""

import sys

from kenniskaart.cli import main

sys.exit(main())
