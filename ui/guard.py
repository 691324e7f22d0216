"""Slots that never show a Python traceback dialog: problems go to the message bar, details to the log.

A slot decorated with :func:`guarded` catches every exception. An expected problem (a set-up the
officer must fix, a core error with its message) is shown as it is; anything else is shown as an
unexpected error with a pointer to the log panel, where the traceback goes.
"""

from __future__ import annotations

import functools
import inspect
import logging
import traceback

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication

from ..allocation.errors import InputError, LandcoordError

__all__ = ["SetupError", "guarded", "push", "MESSAGE_TITLE", "check_output"]

LOG = logging.getLogger("landcoord")


def tr(text: str) -> str:
    """Translate ``text`` (context ``@default``: lupdate's context for strings outside a class)."""
    return QCoreApplication.translate("@default", text)


MESSAGE_TITLE = "landcoord"


class SetupError(InputError):
    """A choice in the dock is missing or does not fit; the message says which and what to do."""


def push(bar, text: str, level=Qgis.MessageLevel.Warning, duration: int | None = None) -> None:
    """Show ``text`` in the message bar ``bar`` (QGIS's or a test's) under the plugin's title."""
    if duration is None:
        duration = 0 if level == Qgis.MessageLevel.Critical else 8
    if bar is None:
        LOG.warning(text)
        return
    bar.pushMessage(tr("Land consolidation"), text, level=level, duration=duration)


def _arity(func) -> int | None:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def guarded(method):
    """Decorate a controller's slot: exceptions become message-bar messages, never tracebacks.

    The controller must have ``message_bar()``. Extra arguments a signal sends (e.g. ``checked``
    of ``clicked``) are dropped when the slot does not take them.
    """
    wanted = _arity(method)

    @functools.wraps(method)
    def wrapper(self, *args):
        if wanted is not None:
            args = args[: max(wanted - 1, 0)]
        try:
            return method(self, *args)
        except SetupError as exc:
            push(self.message_bar(), str(exc), Qgis.MessageLevel.Warning)
        except LandcoordError as exc:
            push(self.message_bar(), str(exc), Qgis.MessageLevel.Critical)
        except Exception as exc:  # noqa: BLE001 - a slot must never raise into Qt
            LOG.error("%s\n%s", exc, traceback.format_exc())
            push(
                self.message_bar(),
                tr("Unexpected error: {error}. The details are in the log panel (tab landcoord).").format(
                    error=exc
                ),
                Qgis.MessageLevel.Critical,
            )
        return None

    return wrapper


def check_output(label: str, path, project, setup=None, inputs=()) -> None:
    """Refuse (OutputError) a file the dock writes itself (not through Processing, whose algorithms
    check their own outputs) when it is one of the set-up's layers, a given input, or a ledger.

    ``project`` is the QgsProject holding the set-up's layers (``setup.layers``: role -> layer id);
    ``inputs`` are more (label, source) pairs, e.g. the ledger being exported.
    """
    from ..allocation.io.outputs import check_outputs

    sources = list(inputs)
    for role, layer_id in (getattr(setup, "layers", None) or {}).items():
        layer = project.mapLayer(layer_id) if project is not None and layer_id else None
        if layer is not None:
            sources.append((f"{role} ({layer.name()})", layer.source()))
    check_outputs([(label, str(path))], sources)
