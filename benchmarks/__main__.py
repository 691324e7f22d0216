"""Run landcoord's benchmarks (default: all).

``make bench BENCH_ARGS="[NAME ...] [options]"``, i.e. ``python -P -m landcoord.benchmarks ...``.

Each benchmark module ``bench_NAME.py`` has a ``main(argv)``; options after the names go to each.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    here = Path(__file__).parent
    names = sorted(
        m.name[len("bench_") :] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    chosen = [a for a in argv if a in names]
    rest = [a for a in argv if a not in names]
    status = 0
    for name in chosen or names:
        print(f"\n=== benchmark: {name}", flush=True)
        mod = importlib.import_module(f"{__package__}.bench_{name}")
        status |= int(mod.main(rest) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
