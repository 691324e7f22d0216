"""The command line's output never fails on the console's encoding.

landcoord prints "m²", Chinese names and tables. A Windows console with code page 936 (GBK has no
"²"), 1252 (no Chinese), output redirected to a file with a legacy encoding, or ``PYTHONIOENCODING``
set to such an encoding would make ``print`` raise ``UnicodeEncodeError``. :func:`configure`, called
first thing by :func:`landcoord.cli.main`, switches ``sys.stdout`` and ``sys.stderr`` to UTF-8 where
that is safe (output to a file or pipe, or a console that cannot show the text anyway), and in any
case makes characters that still cannot be encoded come out as ``?`` instead of an error. There is
no need for ``chcp 65001``.
"""

from __future__ import annotations

import codecs
import contextlib
import sys

__all__ = ["configure", "configure_stream", "SAMPLE"]

#: what landcoord's output must be able to show
SAMPLE = "m²中"


def _is_utf(encoding: str | None) -> bool:
    try:
        return codecs.lookup(encoding or "ascii").name in ("utf-8", "utf-16", "utf-32")
    except LookupError:
        return False


def _can_encode(encoding: str | None, text: str = SAMPLE) -> bool:
    try:
        text.encode(encoding or "ascii")
    except (UnicodeError, LookupError):
        return False
    return True


def configure_stream(stream) -> str | None:
    """Make ``stream`` (a text stream) able to write any text; returns its encoding afterwards.

    Not a terminal (a file, a pipe) or an encoding that cannot encode "m²中": UTF-8 with
    ``errors="replace"``. A terminal whose encoding can show the sample keeps its encoding, with
    ``errors="replace"`` (on Windows, Python writes to the console in Unicode whatever the code
    page). A stream that cannot be reconfigured is left alone.
    """
    if stream is None:
        return None
    encoding = getattr(stream, "encoding", None)
    if _is_utf(encoding):
        return encoding
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return encoding
    try:
        tty = bool(stream.isatty())
    except (OSError, ValueError, AttributeError):
        tty = False
    if tty and _can_encode(encoding):
        with contextlib.suppress(OSError, ValueError, LookupError, AttributeError, TypeError):
            reconfigure(errors="replace")  # a rarer character than the sample must not raise either
        return encoding
    try:
        reconfigure(encoding="utf-8", errors="replace")
    except (OSError, ValueError, LookupError, AttributeError, TypeError):
        with contextlib.suppress(OSError, ValueError, LookupError, AttributeError, TypeError):
            reconfigure(errors="replace")
    return getattr(stream, "encoding", encoding)


def configure() -> None:
    """Apply :func:`configure_stream` to ``sys.stdout`` and ``sys.stderr``."""
    configure_stream(sys.stdout)
    configure_stream(sys.stderr)
