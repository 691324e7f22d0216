"""Consent spreadsheets in and out of the ledger: import with a preview, export to CSV/XLSX.

Part of :mod:`landcoord.allocation.ledger` (reached through ``Ledger.preview_import``,
``Ledger.commit_import`` and ``Ledger.export``). Works on a Ledger through its public methods only
(``holders``, ``consent_table``, ``add_holder``, ``import_consent``, ``transaction`` ...) and never
imports :mod:`.ledger`, which imports this module.

An import never drops a row silently: every data row of the sheet ends up in the preview as
``set`` (will be written), ``unchanged`` (the ledger already says so) or ``bad`` with the reason
(holder not in the cadastre, ambiguous, unknown status, a status the ledger is already past, ...).
Row numbers are the ones a spreadsheet program shows (the header is row 1 if it is the first row).

The xlsx export also has the procedure's sheets (stage moves, sign-offs, public notices and
objections), read with :mod:`.records`; the public notices' export (:func:`notice_frames`) applies
the same public-document rules (:func:`public_cleaners`) as the ledger's.
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..errors import InputError, LayerError, OutputError
from ..i18n import tr, trn
from ..io.cells import unescape_cell, write_frames
from ..io.files import atomic_output, column_values
from ..privacy import PublicText, classify_holders
from . import records
from .schema import STATUSES
from .statuses import KEEP, reachable, status_code
from .statuses import iso_date as _iso_date
from .statuses import project_key as _project_key

__all__ = [
    "ImportPreview",
    "ImportResult",
    "preview_import",
    "commit_import",
    "export_ledger",
    "notice_frames",
    "public_cleaners",
    "read_sheet",
    "IMPORT_COLUMNS",
    "PREVIEW_COLUMNS",
]

#: Columns an import understands, with the headers accepted for each (case and spaces ignored).
IMPORT_COLUMNS = {
    "holder": ("holder", "权利人", "权利人名称", "权利人姓名", "户主", "业主", "姓名"),
    "project": ("project", "项目", "项目编号", "项目名称"),
    "status": ("status", "状态", "签约状态", "协商状态", "意愿", "同意情况", "consent"),
    "scenario_option": ("scenario_option", "option", "方案", "选择方案", "补偿方案", "意向方案", "安置方案"),
    "status_date": ("status_date", "date", "日期", "签约日期", "状态日期"),
    "note": ("note", "备注", "说明", "remark", "remarks"),
    "version": ("version", "版本"),
}
#: Columns of an export that an import knows and leaves alone.
_EXPORT_ONLY = ("id", "holder_type", "community", "status_label", "updated_at", "updated_by")

PREVIEW_COLUMNS = [
    "row",
    "holder_given",
    "holder",
    "project",
    "status",
    "scenario_option",
    "status_date",
    "note",
    "current_status",
    "current_version",
    "action",
    "reason",
]


def _key(text) -> str:
    return "".join(str(text).split()).lower().replace("-", "_")


def _norm_name(text: str) -> str:
    """A holder name for tolerant matching: NFKC (full-width to half-width), no white space."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def _cell(value):
    """A spreadsheet cell as text (None for empty); dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def read_sheet(path, *, encoding: str | None = None, sheet: str | None = None):
    """Read a CSV (UTF-8 or GBK) or XLSX sheet as ``(headers, rows, info)``.

    ``rows`` is a list of ``(row_number, [cells])`` for every non-blank row after the header;
    ``info`` has ``encoding``, ``sheet`` and ``blank_rows``.
    """
    path = Path(path)
    if not path.is_file():
        raise LayerError(tr("Spreadsheet '{path}' does not exist. Check the path.", path=path))
    suffix = path.suffix.lower()
    info = {"encoding": None, "sheet": None, "blank_rows": 0}
    if suffix in (".csv", ".txt"):
        raw = path.read_bytes()
        for enc in [encoding] if encoding else ["utf-8-sig", "gbk", "gb18030"]:
            try:
                text = raw.decode(enc)
                info["encoding"] = "utf-8" if enc == "utf-8-sig" else enc
                break
            except (UnicodeDecodeError, LookupError):
                continue
        else:
            raise LayerError(tr("'{path}' is neither UTF-8 nor GBK text; save it as UTF-8 CSV.", path=path))
        # landcoord's own CSVs quote text that starts like a formula ('=...): read it back as written
        reader = csv.reader(io.StringIO(text))
        records = [(i, [_cell(unescape_cell(c)) for c in r]) for i, r in enumerate(reader, start=1)]
    elif suffix in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise LayerError(tr("Cannot read the workbook '{path}': {error}", path=path, error=exc)) from exc
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise LayerError(
                    tr(
                        "'{path}' has no sheet '{sheet}'. Sheets: {sheets}.",
                        path=path,
                        sheet=sheet,
                        sheets=", ".join(wb.sheetnames),
                    )
                )
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            info["sheet"] = ws.title
            records = [
                (i, [_cell(c) for c in r]) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
        finally:
            wb.close()
    else:
        raise LayerError(
            tr("'{path}': give a .csv or .xlsx spreadsheet (not '{suffix}').", path=path, suffix=suffix)
        )
    records = [(i, cells) for i, cells in records if any(c is not None for c in cells)]
    if not records:
        raise LayerError(tr("'{path}' has no rows.", path=path))
    header_no, headers = records[0]
    headers = [h if h is not None else tr("(column {number})", number=k + 1) for k, h in enumerate(headers)]
    rows = records[1:]
    last = rows[-1][0] if rows else header_no
    info["blank_rows"] = (last - header_no) - len(rows)
    return headers, rows, info


def _map_columns(headers, source_name):
    mapping, ignored = {}, []
    for k, h in enumerate(headers):
        key = _key(h)
        target = next((f for f, names in IMPORT_COLUMNS.items() if key in {_key(n) for n in names}), None)
        if target is not None and target not in mapping:
            mapping[target] = k
        elif key not in _EXPORT_ONLY:
            ignored.append(h)
    for needed in ("holder", "status"):
        if needed not in mapping:
            from ..errors import FieldError

            names = " / ".join(IMPORT_COLUMNS[needed][:3])
            raise FieldError(source_name, f"{needed} ({names})", headers, expected=None)
    return mapping, ignored


@dataclass
class ImportPreview:
    """What importing a sheet would do; nothing has been written yet.

    Attributes
    ----------
    rows : DataFrame
        One row per data row of the sheet (:data:`PREVIEW_COLUMNS`); ``action`` is ``set``,
        ``unchanged`` or ``bad``, ``reason`` says why a row is bad (or how a holder was matched).
    """

    source: str
    rows: pd.DataFrame
    columns: dict
    ignored_columns: list
    encoding: str | None = None
    sheet: str | None = None
    blank_rows: int = 0
    ledger_audit_id: int = 0

    @property
    def good(self) -> pd.DataFrame:
        return self.rows[self.rows.action != "bad"]

    @property
    def bad(self) -> pd.DataFrame:
        return self.rows[self.rows.action == "bad"]

    @property
    def to_set(self) -> pd.DataFrame:
        return self.rows[self.rows.action == "set"]

    def summary(self) -> str:
        rows = len(self.rows)
        counts = {
            "file": Path(self.source).name,
            "to_import": len(self.to_set),
            "unchanged": int((self.rows.action == "unchanged").sum()),
            "bad": len(self.bad),
        }
        blank = self.blank_rows
        blank_text = trn("{n} blank row", "{n} blank rows", blank)
        columns = ", ".join(map(str, self.ignored_columns))
        if blank and self.ignored_columns:
            return trn(
                "{file}: {n} data row: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "{blank} skipped; columns not imported: {columns}.",
                "{file}: {n} data rows: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "{blank} skipped; columns not imported: {columns}.",
                rows,
                blank=blank_text,
                columns=columns,
                **counts,
            )
        if blank:
            return trn(
                "{file}: {n} data row: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "{blank} skipped.",
                "{file}: {n} data rows: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "{blank} skipped.",
                rows,
                blank=blank_text,
                **counts,
            )
        if self.ignored_columns:
            return trn(
                "{file}: {n} data row: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "columns not imported: {columns}.",
                "{file}: {n} data rows: {to_import} to import, {unchanged} unchanged, {bad} bad; "
                "columns not imported: {columns}.",
                rows,
                columns=columns,
                **counts,
            )
        return trn(
            "{file}: {n} data row: {to_import} to import, {unchanged} unchanged, {bad} bad.",
            "{file}: {n} data rows: {to_import} to import, {unchanged} unchanged, {bad} bad.",
            rows,
            **counts,
        )

    def write_report(self, path) -> Path:
        """Write the bad rows (with reasons) to ``.csv`` (UTF-8 with BOM) or ``.xlsx``."""
        return _write_frames(path, {"bad_rows": self.bad.reset_index(drop=True)}, "utf-8-sig")


@dataclass
class ImportResult:
    imported: int
    unchanged: int
    bad: pd.DataFrame
    holders_added: list = field(default_factory=list)


def _holder_matcher(cadastre_holders):
    exact, tolerant = set(), {}
    for h in cadastre_holders:
        if h is None or (isinstance(h, float) and h != h) or str(h).strip() == "":
            continue
        name = str(h).strip()
        exact.add(name)
        tolerant.setdefault(_norm_name(name), set()).add(name)
    by_initial: dict = {}
    for name in sorted(exact):  # suggestions come from names with the same first character (surname)
        by_initial.setdefault(_norm_name(name)[:1], []).append(name)

    def match(given: str):
        if given in exact:
            return given, None
        hits = sorted(tolerant.get(_norm_name(given), ()))
        if len(hits) == 1:
            return hits[0], tr("matched to the cadastre's '{holder}'", holder=hits[0])
        if len(hits) > 1:
            return None, tr(
                "ambiguous: matches {holders} in the cadastre; write the name exactly",
                holders=", ".join(hits),
            )
        bucket = by_initial.get(_norm_name(given)[:1], [])
        close = difflib.get_close_matches(given, bucket, n=3, cutoff=0.5) if len(bucket) <= 2000 else []
        if close:
            return None, tr(
                "'{holder}' is not a rights-holder of the cadastre (closest: {closest})",
                holder=given,
                closest=", ".join(close),
            )
        return None, tr("'{holder}' is not a rights-holder of the cadastre", holder=given)

    return match


def preview_import(ledger, path, cadastre_holders, *, project=None, pieces=None, encoding=None, sheet=None):
    """Read a consent sheet and decide, row by row, what an import would do.

    Parameters
    ----------
    ledger : Ledger
    path : str or Path
        ``.csv`` (UTF-8 or GBK, detected) or ``.xlsx``. Needs a holder column (权利人) and a status
        column (状态); optional: project (项目), scenario option (方案), date (日期), note (备注),
        version (as exported: a row whose record changed in the ledger since is refused).
    cadastre_holders : iterable of str
        The holder values of the cadastre; a row whose holder is not among them is bad.
        White space and full-width characters are tolerated when the match is unique.
    project : str, optional
        Project for rows without one (or for a sheet without a project column).
    pieces : DataFrame, optional
        Affected pieces (project, holder): a row for a holder without land in its project is bad.
    """
    headers, data, info = read_sheet(path, encoding=encoding, sheet=sheet)
    source_name = Path(path).name
    mapping, ignored = _map_columns(headers, source_name)
    if "project" not in mapping and project is None:
        raise InputError(
            tr(
                "'{file}' has no project column (项目); give the project the sheet is about.",
                file=source_name,
            )
        )
    match = _holder_matcher(cadastre_holders)
    affected = _affected_holders(pieces)
    default_project = None if project is None else _project_key(project)
    current = {}
    for rec in ledger.consent_table().to_dict("records"):
        current[(rec["project"], rec["holder"])] = rec

    out, seen = [], {}
    for rowno, cells in data:

        def get(name, cells=cells):
            k = mapping.get(name)
            return cells[k] if k is not None and k < len(cells) else None

        row, problems, notes = _read_row(get, rowno, match, default_project, affected)
        cur = _check_against_ledger(row, get, current, problems)
        _decide(row, problems, notes, seen, cur, rowno)
        out.append(row)
    rows = pd.DataFrame(out, columns=PREVIEW_COLUMNS)
    rows["row"] = rows["row"].astype("int64")
    return ImportPreview(
        source=str(path),
        rows=rows,
        columns={k: headers[v] for k, v in mapping.items()},
        ignored_columns=ignored,
        encoding=info["encoding"],
        sheet=info["sheet"],
        blank_rows=info["blank_rows"],
        ledger_audit_id=ledger.last_audit_id(),
    )


def _affected_holders(pieces):
    """Project key -> holders with affected land in it (None without pieces: not checked)."""
    if pieces is None:
        return None
    affected = {}
    for p, h in zip(column_values(pieces, "project"), column_values(pieces, "holder")):
        if p is not None and h is not None:
            affected.setdefault(_project_key(p), set()).add(str(h).strip())
    return affected


def _read_row(get, rowno, match, default_project, affected) -> tuple:
    """``(row, problems, notes)`` of one data row: its holder (matched to the cadastre), project,
    status and date as the sheet gives them."""
    given = get("holder")
    row = dict.fromkeys(PREVIEW_COLUMNS)
    row.update(row=rowno, holder_given=given, scenario_option=get("scenario_option"), note=get("note"))
    problems, notes = [], []
    holder = None
    if given is None:
        problems.append(tr("no holder"))
    else:
        holder, msg = match(given)
        if msg and holder is not None:
            notes.append(msg)
        elif msg:
            problems.append(msg)
    proj_text = get("project") or default_project
    proj = None
    if proj_text is None:
        problems.append(tr("no project"))
    else:
        proj = _project_key(proj_text)
        if affected is not None and proj not in affected:
            problems.append(
                tr(
                    "project {project} has no affected pieces (projects: {projects})",
                    project=proj,
                    projects=", ".join(sorted(affected)),
                )
            )
        elif affected is not None and holder is not None and holder not in affected[proj]:
            problems.append(
                tr("'{holder}' has no affected land in project {project}", holder=holder, project=proj)
            )
    status = None
    if get("status") is None:
        problems.append(tr("no status"))
    else:
        try:
            status = status_code(get("status"))
        except InputError as exc:
            problems.append(str(exc))
    try:
        row["status_date"] = _iso_date(get("status_date"), tr("date"))
    except InputError as exc:
        problems.append(str(exc))
    row.update(holder=holder, project=proj, status=status)
    return row, problems, notes


def _check_against_ledger(row: dict, get, current: dict, problems: list):
    """The ledger's record of the row's holder and project (None for none), with the row's
    problems against it: the record changed since the sheet's export, or a status moved back."""
    holder, proj, status = row["holder"], row["project"], row["status"]
    cur = current.get((proj, holder)) if holder is not None and proj is not None else None
    cur_status = cur["status"] if cur else "not_contacted"
    cur_version = int(cur["version"]) if cur else 0
    row.update(current_status=cur_status, current_version=cur_version)
    sheet_version = get("version")
    if sheet_version is not None and not problems:
        try:
            sv = int(float(sheet_version))
        except ValueError:
            problems.append(tr("version '{version}' is not a number", version=sheet_version))
        else:
            if sv != cur_version:
                problems.append(
                    tr(
                        "the ledger record changed since this sheet was exported (version {current} "
                        "now, {sheet} in the sheet); export again and redo the change",
                        current=cur_version,
                        sheet=sv,
                    )
                )
    if not problems and status is not None and not reachable(cur_status, status):
        problems.append(
            tr(
                "the ledger already says '{current}' ({label}); an import never moves a status back to "
                "'{status}' (record a correction with a reason if the sheet is right)",
                current=cur_status,
                label=STATUSES[cur_status],
                status=status,
            )
        )
    return cur


def _decide(row: dict, problems: list, notes: list, seen: dict, cur, rowno) -> None:
    """The row's action: ``bad`` (with its problems), ``unchanged`` or ``set``."""
    holder, proj, status = row["holder"], row["project"], row["status"]
    if not problems and (proj, holder) in seen:
        problems.append(tr("same holder and project as row {row}", row=seen[(proj, holder)]))
    if problems:
        row.update(action="bad", reason="; ".join(problems))
    else:
        seen[(proj, holder)] = rowno
        same = (
            status == row["current_status"]
            and (
                row["scenario_option"] is None or row["scenario_option"] == (cur or {}).get("scenario_option")
            )
            and (row["note"] is None or row["note"] == (cur or {}).get("note"))
            and (row["status_date"] is None or row["status_date"] == (cur or {}).get("status_date"))
        )
        row.update(action="unchanged" if same else "set", reason="; ".join(notes) or None)


def commit_import(ledger, preview: ImportPreview) -> ImportResult:
    """Write the ``set`` rows of ``preview`` in one transaction (all or nothing).

    Raises ``ConcurrentEditError`` (nothing written) if a record the preview read has changed.
    """
    name = Path(preview.source).name
    todo = preview.to_set
    added = []
    with ledger.transaction(f"import {name}", mode="import"):
        known = set(ledger.holders()["holder"])
        for rec in todo.to_dict("records"):
            if rec["holder"] not in known:
                why = f"import {name} row {rec['row']}: holder of the cadastre"
                ledger.add_holder(rec["holder"], reason=why)
                known.add(rec["holder"])
                added.append(rec["holder"])
            ledger.import_consent(
                rec["project"],
                rec["holder"],
                rec["status"],
                expected_version=rec["current_version"],
                reason=f"import {name} row {rec['row']}",
                scenario_option=rec["scenario_option"] if rec["scenario_option"] is not None else KEEP,
                status_date=rec["status_date"],
                note=rec["note"] if rec["note"] is not None else KEEP,
            )
    return ImportResult(
        imported=len(todo),
        unchanged=int((preview.rows.action == "unchanged").sum()),
        bad=preview.bad.reset_index(drop=True),
        holders_added=added,
    )


# -- export ------------------------------------------------------------------------------------------


def _write_frames(path, frames: dict, encoding: str) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OutputError(
            tr("'{path}': export to a .csv or .xlsx file (not '{suffix}').", path=path, suffix=suffix)
        )
    if suffix == ".csv" and len(frames) != 1:
        raise OutputError(tr("A CSV file holds one table; export to .xlsx for several."))
    try:
        with atomic_output(path) as tmp:
            try:
                # text starting with = + - @ is written as text, never as a formula (allocation.io.cells)
                write_frames(tmp, frames, encoding=encoding)
            except UnicodeEncodeError as exc:
                raise OutputError(
                    tr(
                        "Some text cannot be written in {encoding} ({text}); export as UTF-8 instead. "
                        "Nothing was written.",
                        encoding=encoding,
                        text=repr(exc.object[exc.start : exc.end]),
                    )
                ) from exc
    except ValueError as exc:
        raise OutputError(
            tr("Cannot write '{path}': {error}. Nothing was written.", path=path, error=exc)
        ) from exc
    return path


def public_cleaners(ledger, others=()):
    """The public-document rules of the ledger's exports: ``(names, cleaned)`` where ``names`` maps
    each holder of the ledger (and each of ``others``, e.g. an objector not in the ledger) to its
    public form, and ``cleaned(frame)`` returns a copy of ``frame`` with every text scrubbed
    (individuals' names however spaced, ID-card and phone numbers masked).

    One masking rule for every public document (allocation.privacy): 张伟 -> 张*, 欧阳娜娜 -> 欧阳**.
    """
    holders = ledger.holders().reset_index()
    known = set(holders["holder"])
    extra = [o for o in dict.fromkeys(str(x) for x in others if x is not None) if o not in known]
    all_names = pd.Series([*holders["holder"], *extra], dtype=object)
    types = pd.Series([*holders["holder_type"], *([None] * len(extra))], dtype=object)
    shown = classify_holders(all_names, types, public=True)
    names = dict(zip(all_names, shown["display"]))
    clean = PublicText([h for h, ind in zip(all_names, shown["individual"]) if ind])

    def cleaned(frame):
        frame = frame.copy()
        for col in frame.columns:
            if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col].dtype):
                frame[col] = frame[col].astype(object).map(clean)
        return frame

    return names, cleaned


def export_ledger(ledger, path, *, project=None, public: bool = False, encoding: str = "utf-8-sig") -> Path:
    """Export the ledger: ``.csv`` gets the consent table (the columns an import reads back),
    ``.xlsx`` gets consent, holders, events, requests, attachments and the audit trail.

    ``public=True`` is for a hearing: individuals' names are masked as in every public document
    (:func:`landcoord.allocation.privacy.classify_holders`: 欧阳小明 -> 欧阳**), contacts, notes,
    participants, requests and the audit trail are left out, and every text left (event place and
    summary, options, parcel ids ...) is cleaned (:class:`landcoord.allocation.privacy.PublicText`):
    the ledger's individuals' names in it, however spaced, masked, ID-card and phone numbers masked.
    """
    consent = ledger.consent_table(project).drop(columns="id")
    holders = ledger.holders().reset_index()
    names, cleaned = public_cleaners(ledger)

    if public:
        consent["holder"] = [names.get(h, h) for h in consent["holder"]]
        consent = cleaned(consent.drop(columns=["note", "updated_by"]))
    if Path(path).suffix.lower() == ".csv":
        return _write_frames(path, {"consent": consent}, encoding)
    events = ledger.events(project).reset_index()
    frames = {"consent": consent}
    if public:
        holders["holder"] = [names.get(h, h) for h in holders["holder"]]
        frames["holders"] = cleaned(holders.drop(columns=["contact", "note", "updated_by"]))
        events["holders"] = [
            "; ".join(names.get(x, x) for x in s.split("; ")) if s else s for s in events.holders
        ]
        frames["events"] = cleaned(events.drop(columns=["participants", "updated_by"]))
        frames.update(_procedure_frames(ledger, project, public=True))
    else:
        frames["holders"] = holders
        frames["events"] = events
        frames["requests"] = ledger.requests(project).reset_index()
        frames["attachments"] = ledger.attachments().reset_index()
        frames.update(_procedure_frames(ledger, project, public=False))
        frames["audit"] = ledger.history().reset_index()
    return _write_frames(path, frames, encoding)


def notice_frames(ledger, project=None, *, public: bool = True) -> dict:
    """``{"notices": ..., "objections": ...}`` of ``project`` (all projects by default), for an export;
    ``public=True`` masks the objectors' names and scrubs every text with the ledger's public-export
    rules (:func:`public_cleaners`, the same as ``landcoord consent export --public``). Also
    :func:`landcoord.allocation.notice.notice_frames`."""
    ns = records.notices(ledger, project)
    objs = records.objections(ledger)
    objs = objs[objs["notice_id"].isin(list(ns["id"]))].copy()
    if public:
        names, cleaned = public_cleaners(ledger, objs["objector"])
        objs["objector"] = [names.get(o, o) for o in objs["objector"]]
        objs = cleaned(objs.drop(columns=["updated_by"]))
        ns = cleaned(ns.drop(columns=["updated_by"]))
    return {"notices": ns, "objections": objs}


def _procedure_frames(ledger, project, *, public: bool) -> dict:
    """The procedure sheets of an .xlsx export: public notices and objections (masked in public),
    and, internally, the stage moves and the sign-offs (who proposed, who approved); a sheet only
    when the ledger has such records. Read with :mod:`.records` (the procedure modules are not
    imported: they import this package)."""
    frames = notice_frames(ledger, project, public=public)
    if not public:
        frames = {
            "stages": records.stage_history(ledger, project),
            "signoffs": records.signoffs(ledger, project),
            **frames,
        }
    return {name: frame for name, frame in frames.items() if len(frame)}
