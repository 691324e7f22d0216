"""Masking glue of a hearing pack: every text it prints (parcel ids, project name, statuses, control
names, rules, conflict inputs, notes) is cleaned. In the public version the individuals' names of
this run, however spaced, are masked (a parcel id such as 'G-李娜-01' too); ID-card and phone numbers
never appear. The rules themselves live in :mod:`landcoord.allocation.privacy`.

Imports :mod:`.formatting` of this package and :mod:`landcoord.allocation.privacy`.
"""

from __future__ import annotations

from ..privacy import PublicText, classify_holders, scrub_text
from .formatting import Table, _text

__all__: list = []


def public_text(who, outside, extra, public, compound_surnames) -> PublicText:
    """The cleaner of this run: the individuals among the project's holders, the holders of nearby
    parcels (``outside``) and the scenario parties that are no holders of the project (``extra``) are
    masked in the public version; the internal version only scrubs ID and phone numbers."""
    if not public:
        return PublicText([])
    type_of = who.type_of
    individuals = [k for k, ind in zip(who.keys, who.classes["individual"]) if ind and k is not None]
    if outside:
        names_out = list(outside)
        t_out = [type_of.get(h) for h in names_out] if type_of else None
        ind_out = classify_holders(names_out, t_out, compound_surnames=compound_surnames)["individual"]
        individuals += [h for h, ind in zip(names_out, ind_out) if ind]
    individuals += [p for p, t in extra.items() if p is not None and t != scrub_text(_text(p))]
    return PublicText(individuals, compound_surnames=compound_surnames)


def clean_all(clean, layers: dict, tables, notes: list, warnings: list) -> None:
    """Apply ``clean`` in place to every layer, every table (None skipped), the notes and warnings."""
    for name, frame in layers.items():
        layers[name] = _clean_frame(frame, clean)
    for t in tables:
        if t is not None:
            _clean_table(t, clean)
    notes[:] = [clean(n) for n in notes]
    warnings[:] = [clean(w) for w in warnings]


def _clean_frame(frame, clean):
    """``frame`` with ``clean`` applied to every text column (geometry and numbers untouched)."""
    frame = frame.copy()
    for col in frame.columns:
        if col != getattr(frame, "_geometry_column_name", None) and frame[col].dtype == object:
            frame[col] = frame[col].map(clean)
    return frame


def _clean_table(table: Table, clean) -> None:
    """Apply ``clean`` to every printed cell of ``table`` (and to the text behind them)."""
    table.rows = [[clean(c) for c in row] for row in table.rows]
    if table.total is not None:
        table.total = [clean(c) for c in table.total]
    table.values = _clean_frame(table.values, clean)
