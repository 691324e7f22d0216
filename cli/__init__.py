"""The ``landcoord`` command line: the core's computations without QGIS.

Each command lives in a module of this package with ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``; :data:`COMMANDS` lists them explicitly.
"""

from __future__ import annotations

import argparse
import logging
import sys

__all__ = ["main", "COMMANDS"]


def _commands():
    from . import affected, benefits, carve, city, conflicts, consent, demo, hearing, quota

    return [affected, quota, benefits, carve, conflicts, consent, hearing, city, demo]


COMMANDS = _commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="landcoord",
        description="Land consolidation (土地整备) interest coordination, from the command line.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print warnings and errors only")
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help="language of messages: zh_CN or en (default: LANDCOORD_LANG, LC_ALL, LC_MESSAGES or LANG)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for mod in _commands():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 1 unexpected)."""
    from ..allocation.errors import LandcoordError
    from ..allocation.i18n import language_from_environment, set_language, tr

    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang or language_from_environment())
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("pyogrio").setLevel(logging.WARNING)
    try:
        return int(args._run(args) or 0)
    except LandcoordError as exc:
        print(tr("landcoord {command}: error: {error}", command=args.command, error=exc), file=sys.stderr)
        return 2
