"""How the core reports progress and messages without knowing who listens.

The core calls a :class:`Feedback`; the Processing adapter passes one that forwards to
``QgsProcessingFeedback``, the command line one that prints, the tests one that records.
"""

from __future__ import annotations

import logging

from .errors import LandcoordError
from .i18n import tr

__all__ = ["Feedback", "LogFeedback", "RecordingFeedback", "Canceled"]

log = logging.getLogger("landcoord")


class Canceled(LandcoordError):  # noqa: N818 - reads better as "except Canceled"
    """The user canceled the run; nothing was written."""


class Feedback:
    """Base feedback: logs messages to the ``landcoord`` logger and never cancels.

    Subclasses override :meth:`progress`, :meth:`info`, :meth:`warning` and :meth:`is_canceled`.
    """

    def progress(self, percent: float) -> None:
        """Report progress in percent (0-100)."""

    def info(self, message: str) -> None:
        log.info(message)

    def warning(self, message: str) -> None:
        log.warning(message)

    def is_canceled(self) -> bool:
        return False

    def check(self) -> None:
        """Raise :class:`Canceled` if the user asked to stop."""
        if self.is_canceled():
            raise Canceled(tr("Canceled by the user; no output was written."))


LogFeedback = Feedback


class RecordingFeedback(Feedback):
    """Keeps every message, for tests and for reports that list warnings."""

    def __init__(self) -> None:
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.last_progress = 0.0

    def progress(self, percent: float) -> None:
        self.last_progress = percent

    def info(self, message: str) -> None:
        self.infos.append(message)
        log.info(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)
        log.warning(message)
