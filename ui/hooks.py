"""Every signal connection the dock makes to QGIS objects, so ``close_down()`` undoes all of them."""

from __future__ import annotations

__all__ = ["Hooks"]


class Hooks:
    """Records ``signal.connect(slot)`` calls and disconnects them all at once."""

    def __init__(self):
        self._connections: list[tuple[object, object]] = []

    def connect(self, signal, slot) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def disconnect_all(self) -> int:
        count = 0
        while self._connections:
            signal, slot = self._connections.pop()
            try:
                signal.disconnect(slot)
                count += 1
            except (TypeError, RuntimeError):  # already gone with its object
                pass
        return count

    def __len__(self) -> int:
        return len(self._connections)
