"""The ``landcoord`` command line: the core's computations without QGIS.

Each command lives in a module of this package with ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``; :data:`COMMANDS` lists them explicitly.

Outputs are guarded in one place, :func:`check_paths`, before a command runs: a module declares its
output options in ``OUTPUTS`` (argparse dest -> accepted file name endings, or None for any) and
may add computed outputs with ``output_paths(args) -> [(label, path)]`` (e.g. the files ``demo``
writes into its folder; ``(label, path, endings)`` to give the endings, ``FOLDER`` for a folder),
and name in ``LEDGER_OUTPUTS`` those whose purpose is writing a ledger; every other option naming
an existing file is an input. An output onto an input (same file however written, links included),
onto a ledger or onto another output is refused with exit status 2
(:func:`landcoord.allocation.io.outputs.check_outputs`).

Exit status: 0 ok, 2 bad input or refused output, 1 unexpected; 141 (128 + SIGPIPE, as a C tool
killed by SIGPIPE) when the reader of the standard output went away (``landcoord ... | head -1``):
no traceback is printed, the rest of the output is discarded.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings

from . import _console

__all__ = ["main", "COMMANDS"]


def _commands():
    from . import (
        affected,
        benefits,
        carve,
        city,
        conflicts,
        consent,
        consult,
        decision,
        demo,
        hearing,
        monitor,
        notice,
        quota,
        stage,
    )

    return [
        affected,
        quota,
        benefits,
        carve,
        conflicts,
        consent,
        consult,
        stage,
        decision,
        notice,
        monitor,
        hearing,
        city,
        demo,
    ]


COMMANDS = _commands


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error never echoes a password of a connection string argument."""

    def error(self, message):
        from ..allocation.privacy import redact_dsn

        super().error(redact_dsn(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
        p.set_defaults(_run=mod.run, _module=mod)
    return parser


#: Exit status when a guarantee failed inside landcoord (allocation.errors.InternalError).
EXIT_INTERNAL = 3
#: Exit status when standard output is a closed pipe (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141


def _option_labels(parser) -> dict:
    """argparse dest -> how the officer wrote it (``--out``, or a positional's name), all subcommands."""
    labels = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for dest, label in _option_labels(sub).items():
                    labels.setdefault(dest, label)
        elif action.option_strings:
            labels.setdefault(action.dest, max(action.option_strings, key=len))
        else:
            labels.setdefault(action.dest, action.metavar or action.dest)
    return labels


def check_paths(parser, args) -> None:
    """Refuse (OutputError) any output of the parsed command onto one of its inputs, a ledger or
    another of its outputs, and outputs with a file name ending the command does not write."""
    from ..allocation.io.outputs import check_outputs, file_part

    mod = getattr(args, "_module", None)
    declared = dict(getattr(mod, "OUTPUTS", {}) or {})
    labels = _option_labels(parser)
    outputs = [(labels.get(d, d), getattr(args, d)) for d in declared if getattr(args, d, None)]
    suffixes = {labels.get(d, d): s for d, s in declared.items() if s}
    if mod is not None and hasattr(mod, "output_paths"):
        # (label, path) or (label, path, endings): e.g. ("--png", folder, FOLDER)
        for label, path, *kind in mod.output_paths(args):
            outputs.append((label, path))
            if kind and kind[0]:
                suffixes[label] = kind[0]
    inputs = []
    for dest, value in vars(args).items():
        if dest.startswith("_") or dest in declared:
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(v, (str, os.PathLike)):
                part = file_part(v)
                if part is not None and os.path.exists(part[0]):
                    inputs.append((labels.get(dest, dest), v))
    check_outputs(outputs, inputs, suffixes=suffixes, ledger_ok=getattr(mod, "LEDGER_OUTPUTS", ()))


def _stdout_gone() -> int:
    """Standard output is a closed pipe: discard what is left of it, without a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_BROKEN_PIPE


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 3 internal error, 1 unexpected)."""
    _console.configure()  # "m²" and Chinese never fail on a GBK/cp1252 console or a redirected file
    from ..allocation.errors import InternalError, LandcoordError
    from ..allocation.i18n import language_from_environment, set_language, tr
    from ..allocation.privacy import redact_dsn

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (an impossible option value: 2) or --help (0), returned
        return exc.code if isinstance(exc.code, int) else 2
    set_language(args.lang or language_from_environment())
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("pyogrio").setLevel(logging.WARNING)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)  # its "categorical units" notes on charts
    # GEOS's floating-point flags on intermediate values of an overlay reach numpy as "invalid value
    # encountered in intersection": noise to an officer; every result is checked independently
    warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning, r"shapely\.")
    try:
        check_paths(parser, args)
        status = int(args._run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
        return status
    except BrokenPipeError:
        return _stdout_gone()
    except InternalError as exc:  # a guarantee failed inside landcoord: exit 3, not "bad input"
        try:
            print(
                tr(
                    "landcoord {command}: internal error (not a fault of the input): {error}",
                    command=args.command,
                    error=redact_dsn(exc),
                ),
                file=sys.stderr,
            )
        except BrokenPipeError:
            return _stdout_gone()
        return EXIT_INTERNAL
    except LandcoordError as exc:
        try:
            # a message naming a source or ledger never shows a connection string's password
            text = tr("landcoord {command}: error: {error}", command=args.command, error=redact_dsn(exc))
            print(text, file=sys.stderr)
        except BrokenPipeError:
            return _stdout_gone()
        return 2
