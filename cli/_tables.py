"""Table input and output shared by ``landcoord quota`` and ``landcoord benefits``: the pieces with
their community, and the tables written as one GeoPackage or CSV files side by side.

A helper module of the command line (not a command): it imports the core only, so both commands use
it without importing each other.
"""

from __future__ import annotations

from pathlib import Path

from ..allocation.errors import OutputError
from ..allocation.i18n import tr
from ..allocation.io.cells import write_frames
from ..allocation.io.files import atomic_output, read_layer, write_layers
from ..allocation.quota import attach_community

__all__ = ["csv_siblings", "read_pieces", "write_tables"]


def read_pieces(args, fb):
    """The pieces, with the community joined from --parcels when the pieces lack the field."""
    pieces = read_layer(args.pieces)
    cf = args.community_field
    if cf and cf not in pieces.columns:
        if not args.parcels:
            return pieces, cf  # retained_quota names the missing field
        parcels = read_layer(args.parcels)
        pieces = attach_community(
            pieces, parcels, parcel_field=args.parcel_field or "parcel_id", community_field=cf, feedback=fb
        )
        cf = "community"
    return pieces, cf


def csv_siblings(out, names) -> list:
    """(label, path) of the tables :func:`write_tables` writes beside a ``.csv`` ``out``."""
    if not out or Path(out).suffix.lower() != ".csv":
        return []
    out = Path(out)
    return [(f"--out ({name})", out.with_name(f"{out.stem}_{name}.csv")) for name in names]


def write_tables(out, frames: dict) -> list:
    """Write tables: all layers into one .gpkg, or the first into a .csv and the others beside it.

    Every file goes to a temporary name first and is renamed into place when written.
    """
    out = Path(out)
    if out.suffix.lower() == ".gpkg":
        write_layers(out, frames)
        return [out]
    if out.suffix.lower() != ".csv":
        raise OutputError(tr("Output '{path}': use a .csv or .gpkg file name.", path=out))
    paths = []
    for k, (name, df) in enumerate(frames.items()):
        path = out if k == 0 else out.with_name(f"{out.stem}_{name}.csv")
        with atomic_output(path) as tmp:
            # text starting with = + - @ is written as text, never as a formula
            write_frames(tmp, {name: df}, encoding="utf-8-sig", lineterminator="\n")
        paths.append(path)
    return paths
