"""The one exception hierarchy of landcoord's core.

Every error the core raises on purpose derives from :class:`LandcoordError`, so callers (the
Processing adapters, the command line, the dock) catch one class and show its message. Messages name
the layer, the field or the feature and say what to do.
"""

from __future__ import annotations

from .i18n import tr

__all__ = [
    "LandcoordError",
    "InputError",
    "LayerError",
    "FieldError",
    "GeometryError",
    "CRSError",
    "RuleError",
    "InfeasibleError",
    "LedgerError",
    "ConcurrentEditError",
    "OutputError",
    "InternalError",
]


class LandcoordError(Exception):
    """Root of every error landcoord raises on purpose."""


class InputError(LandcoordError):
    """An input (layer, file, table, parameter) cannot be used as given."""


class LayerError(InputError):
    """A layer is missing, empty, unreadable or of the wrong geometry type."""


class FieldError(InputError):
    """A field is missing or of the wrong type.

    Parameters
    ----------
    layer : str
        Name of the layer the field was looked up in.
    field : str
        The field that was asked for.
    available : sequence of str
        The fields the layer has, listed in the message.
    expected : str, optional
        What the field should be (e.g. ``tr("a numeric field")``), already in the current language.
    """

    def __init__(self, layer: str, field: str, available=(), expected: str | None = None):
        self.layer = layer
        self.field = field
        self.available = list(available)
        available = ", ".join(map(str, self.available)) or tr("(none)")
        if expected:
            msg = tr(
                "Layer '{layer}': field '{field}' is not {expected}. Available fields: {available}. "
                "Choose one of them.",
                layer=layer,
                field=field,
                expected=expected,
                available=available,
            )
        else:
            msg = tr(
                "Layer '{layer}': field '{field}' does not exist. Available fields: {available}. "
                "Choose one of them.",
                layer=layer,
                field=field,
                available=available,
            )
        super().__init__(msg)


class GeometryError(InputError):
    """A geometry cannot be used even after repair."""


class CRSError(InputError):
    """A layer has no coordinate reference system, or one that cannot be measured in."""


class RuleError(LandcoordError):
    """A rule set or scenario file is invalid, or a rule cannot be evaluated."""


class InfeasibleError(LandcoordError):
    """The request cannot be met with the land available (e.g. a quota larger than the land)."""


class LedgerError(LandcoordError):
    """The consultation ledger cannot be read or written."""


class ConcurrentEditError(LedgerError):
    """Someone else changed a ledger record since it was read; nothing was overwritten."""


class OutputError(LandcoordError):
    """An output cannot be written; nothing was left half-written."""


class InternalError(LandcoordError):
    """A guarantee landcoord checks on its own result failed: a fault of landcoord, not of the
    input. The message names the project and the feature and asks to report it; the command line
    exits with status 3 (not 2, bad input)."""
