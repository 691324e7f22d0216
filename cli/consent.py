"""``landcoord consent``: the consultation and consent ledger from the command line.

Examples::

    landcoord consent init project.gpkg --cadastre "project.gpkg|layername=parcels" --holder-field 权利人
    landcoord consent event project.gpkg --kind 入户走访 --date 2024-03-01 --project P1 --holder 张三
    landcoord consent set project.gpkg --project P1 --holder 张三 --status agreed --option 产权置换
    landcoord consent import project.gpkg 台账.xlsx --cadastre "project.gpkg|layername=parcels" \\
        --holder-field 权利人 --project P1 --report bad_rows.csv
    landcoord consent progress project.gpkg --pieces "out/affected.gpkg|layername=pieces" --out progress.csv
    landcoord consent export project.gpkg ledger.xlsx
    landcoord consent history project.gpkg --as-of 12
    landcoord consent fingerprint project.gpkg
    landcoord consent verify project.gpkg --code LC1-42-3F2A-9C1B-77D0-E4A5

The ledger is a GeoPackage path or a PostgreSQL DSN (``postgresql://user@host/db`` with
``--schema``). Writes are recorded under ``--officer`` (default: ``LANDCOORD_OFFICER`` or the OS
user). ``verify`` exits with status 0 when the ledger is unchanged since the code was taken,
:data:`CHANGED` (3) when it was altered, 2 on bad input (as every command).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..allocation.errors import InputError
from ..allocation.i18n import tr, trn
from ..allocation.ledger.schema import EVENT_KINDS
from ._args import as_of, iso_date, non_negative_int, positive_int
from ._common import PrintFeedback, fmt_area, print_table

NAME = "consent"
#: Exit status of ``consent verify`` when the ledger no longer matches the code (2 stays bad input).
CHANGED = 3
#: Exit status of ``consent import`` when rows were rejected (bad rows, not imported) and
#: ``--allow-rejected`` was not given: the good rows are imported, but a batch script must notice.
REJECTED = 4
HELP = "Consultation and consent ledger: events, consent status, import/export, progress by project."

#: Output options (argparse dests) and the file name endings each accepts (None: any); the
#: command line refuses, before any work, an output onto an input, a ledger or another output.
OUTPUTS = {"out": (".csv", ".xlsx", ".gpkg"), "report": (".csv", ".xlsx")}


def _common(parser) -> None:
    parser.add_argument("ledger", help="the project GeoPackage (or a PostgreSQL DSN) holding the ledger")
    parser.add_argument("--officer", help="name recorded as author of the changes (default: OS user)")
    parser.add_argument("--schema", help="PostgreSQL schema of the ledger (default: the search path's)")


def _holder_source(p) -> None:
    g = p.add_argument_group("holders of the cadastre")
    g.add_argument("--cadastre", help="cadastral parcels: FILE or FILE|layername=NAME")
    g.add_argument("--holder-field", help="rights-holder field (权利人) of the cadastre")
    g.add_argument("--type-field", help="holder type field (权利人类型) of the cadastre")
    g.add_argument("--community-field", help="community field (社区) of the cadastre")
    g.add_argument("--encoding", help="attribute encoding of shapefiles without .cpg (default: detect)")


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True

    s = sub.add_parser("init", help="create the ledger (and add the cadastre's holders)")
    _common(s)
    _holder_source(s)

    s = sub.add_parser("event", help="record a consultation event")
    _common(s)
    s.add_argument(
        "--kind",
        required=True,
        help="|".join(EVENT_KINDS.values()) + " (or " + ", ".join(EVENT_KINDS) + ")",
    )
    s.add_argument("--date", required=True, type=iso_date, help="date of the event, YYYY-MM-DD")
    s.add_argument("--project", help="project id (holders taking part become 'contacted' in it)")
    s.add_argument("--place")
    s.add_argument("--participants", help="who took part (free text)")
    s.add_argument("--summary")
    s.add_argument("--kind-detail", help="what kind of event, for --kind other")
    s.add_argument("--holder", action="append", default=[], help="a rights-holder taking part (repeat)")
    s.add_argument("--attach", action="append", default=[], help="a file to reference (repeat)")

    for name, help_text in (
        ("set", "change a holder's consent status or chosen option"),
        ("correct", "correct a wrong consent entry (any status; needs --reason)"),
    ):
        s = sub.add_parser(name, help=help_text)
        _common(s)
        s.add_argument("--project", required=True)
        s.add_argument("--holder", required=True, help="rights-holder, as in the cadastre")
        s.add_argument(
            "--status", required=True, help="not_contacted|contacted|negotiating|agreed|signed|refused"
        )
        s.add_argument("--option", help="the scenario option the holder chose")
        s.add_argument("--date", type=iso_date, help="when the status was reached (default: today)")
        s.add_argument("--note")
        s.add_argument(
            "--expect-version",
            type=non_negative_int,
            help="the version you read (see `consent show`); refused if the record changed since",
        )
        s.add_argument("--reason", required=name == "correct", help="why (kept in the audit trail)")

    s = sub.add_parser("request", help="record a party's request (诉求)")
    _common(s)
    s.add_argument("--text", required=True)
    s.add_argument("--project")
    s.add_argument("--holder")
    s.add_argument("--event", type=positive_int, help="id of the event where it was raised")
    s.add_argument("--date", type=iso_date)

    s = sub.add_parser("respond", help="record the response to a request")
    _common(s)
    s.add_argument("--request", type=positive_int, required=True, help="request id")
    s.add_argument("--text", required=True)
    s.add_argument("--date", type=iso_date)
    s.add_argument("--close", action="store_true", help="mark the request as closed (已办结)")
    s.add_argument("--expect-version", type=non_negative_int)

    s = sub.add_parser("import", help="import a consent spreadsheet (CSV UTF-8/GBK or XLSX)")
    _common(s)
    s.add_argument("file", help="the spreadsheet (.csv or .xlsx)")
    _holder_source(s)
    s.add_argument(
        "--pieces", help="affected pieces (FILE|layername=pieces): rows without land in their project are bad"
    )
    s.add_argument("--project", help="project for rows without one")
    s.add_argument("--sheet", help="worksheet of an .xlsx file (default: the first)")
    s.add_argument("--file-encoding", help="encoding of a CSV file (default: UTF-8, else GBK)")
    s.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    s.add_argument("--report", help="write the bad rows with reasons to this .csv/.xlsx")
    s.add_argument(
        "--allow-rejected",
        action="store_true",
        help=f"exit 0 even when rows were rejected (default: exit status {REJECTED} when any row is bad)",
    )

    s = sub.add_parser("export", help="export the ledger to .csv (consent) or .xlsx (all tables)")
    _common(s)
    s.add_argument("out", help="output .csv or .xlsx")
    s.add_argument("--project")
    s.add_argument(
        "--public", action="store_true", help="for a hearing: mask individuals' names, no contacts"
    )
    s.add_argument(
        "--file-encoding", default="utf-8-sig", help="CSV encoding (default utf-8-sig; gbk for old Excel)"
    )

    s = sub.add_parser("progress", help="consent rate per project, by holders and by affected area")
    _common(s)
    s.add_argument("--pieces", help="affected pieces: FILE|layername=pieces (output of `landcoord affected`)")
    s.add_argument("--boundary", help="or: project boundaries, to compute the pieces here")
    s.add_argument("--cadastre", help="cadastral parcels (with --boundary)")
    s.add_argument("--parcel-field", help="parcel id field (with --boundary)")
    s.add_argument("--holder-field", help="rights-holder field (with --boundary)")
    s.add_argument("--project-field", help="project id field of the boundaries (with --boundary)")
    s.add_argument("--project", action="append", help="only this project (repeat)")
    s.add_argument(
        "--area-field",
        help="area of each piece counted by area (default: held_area, land claimed twice counted once; "
        "piece_area, with a note, when the pieces have no held_area)",
    )
    s.add_argument("--out", help="write the tables to .csv (projects), .xlsx or .gpkg (projects, holders)")
    s.add_argument(
        "--thresholds",
        default="shenzhen_urban_renewal",
        metavar="FILE",
        help="legal consent thresholds to evaluate: a .toml file or a shipped name "
        "(default: shenzhen_urban_renewal, the 城市更新条例 95 %% rules); 'none' to skip",
    )

    s = sub.add_parser("show", help="list consent records with their versions")
    _common(s)
    s.add_argument("--project")

    s = sub.add_parser("history", help="the audit trail, or the ledger as it was at an entry or time")
    _common(s)
    s.add_argument("--table", help="only this table (e.g. ledger_consent)")
    s.add_argument("--record", type=positive_int, help="only this record id (with --table)")
    s.add_argument(
        "--as-of", type=as_of, help="audit entry id or ISO time: print the consent table as it was then"
    )

    s = sub.add_parser(
        "fingerprint",
        help="the ledger's fingerprint code (校验码), to write into the minutes of a hearing",
        description=(
            "Print the ledger's fingerprint code (校验码), e.g. LC1-42-3F2A-9C1B-77D0-E4A5: a hash of "
            "its whole audit trail (or of the entries up to --upto). Take it before a hearing (听证会) "
            "and write it into the minutes; `landcoord consent verify` shows later that the record up "
            "to then was not altered. It cannot show that the record was complete or true when taken."
        ),
    )
    _ledger_location(s)
    s.add_argument(
        "--upto",
        type=positive_int,
        metavar="AUDIT_ID",
        help="only the audit entries up to and including this id (see `consent history`; default: all)",
    )

    s = sub.add_parser(
        "verify",
        help="check the ledger against a fingerprint code taken earlier (exit status 0 ok, 3 changed)",
        description=(
            "Check that the ledger's audit trail still gives a fingerprint code taken earlier (entries "
            "added since are fine and counted), and that replaying the audit trail gives the current "
            "tables (a table edited without its audit entry fails)."
        ),
        epilog=(
            f"exit status: 0 the record up to the code is unchanged; {CHANGED} it was altered (or the "
            "tables were edited without the audit trail); 2 bad input (e.g. not a code)."
        ),
    )
    _ledger_location(s)
    s.add_argument("--code", required=True, help="the code, as printed by `consent fingerprint`")


def _ledger_location(parser) -> None:
    """The ledger as the other actions take it (positional), or as ``--ledger``."""
    parser.add_argument(
        "ledger", nargs="?", help="the project GeoPackage (or a PostgreSQL DSN) holding the ledger"
    )
    parser.add_argument("--ledger", dest="ledger_option", metavar="LEDGER", help="the same, as an option")
    parser.add_argument("--schema", help="PostgreSQL schema of the ledger (default: the search path's)")


def _open(args, create=False):
    from ..allocation.ledger import Ledger
    from ..allocation.privacy import redact_dsn

    opener = Ledger.init if create else Ledger.open
    location = args.ledger
    option = getattr(args, "ledger_option", None)
    if option is not None:
        if location is not None and location != option:
            raise InputError(
                tr(
                    "Two ledgers given ('{ledger}' and --ledger '{option}'); give one.",
                    ledger=redact_dsn(location),
                    option=redact_dsn(option),
                )
            )
        location = option
    if location is None:
        raise InputError(tr("Give the ledger: the project GeoPackage (or a PostgreSQL DSN), or --ledger."))
    return opener(location, officer=getattr(args, "officer", None), schema=args.schema)


def _holders_from(args):
    """Holder values (and the frame) of --cadastre/--holder-field, or None."""
    from ..allocation.io.files import read_layer

    if not args.cadastre:
        return None
    if not args.holder_field:
        raise InputError(tr("--cadastre needs --holder-field (the rights-holder field, e.g. 权利人)."))
    return read_layer(args.cadastre, encoding=getattr(args, "encoding", None))


def run(args) -> int:
    return {
        "init": _init,
        "event": _event,
        "set": _set,
        "correct": _set,
        "request": _request,
        "respond": _respond,
        "import": _import,
        "export": _export,
        "progress": _progress,
        "show": _show,
        "history": _history,
        "fingerprint": _fingerprint,
        "verify": _verify,
    }[args.action](args)


def _init(args) -> int:
    with _open(args, create=True) as ledger:
        print(tr("ledger ready: {ledger}", ledger=ledger.label))
        cadastre = _holders_from(args)
        if cadastre is not None:
            rep = ledger.sync_holders(
                cadastre, args.holder_field, type_field=args.type_field, community_field=args.community_field
            )
            print(
                tr(
                    "holders: {added} added, {known} already in the ledger",
                    added=len(rep.added),
                    known=rep.known,
                )
            )
            if rep.not_in_cadastre:
                print(
                    trn(
                        "warning: {n} holder of the ledger is not in the cadastre: {holders}",
                        "warning: {n} holders of the ledger are not in the cadastre: {holders}",
                        len(rep.not_in_cadastre),
                        holders=", ".join(rep.not_in_cadastre[:20]),
                    ),
                    file=sys.stderr,
                )
    return 0


def _event(args) -> int:
    with _open(args) as ledger:
        eid = ledger.add_event(
            args.kind,
            args.date,
            project=args.project,
            place=args.place,
            participants=args.participants,
            summary=args.summary,
            holders=args.holder,
            attachments=args.attach,
            kind_detail=args.kind_detail,
        )
        print(tr("event {event} recorded", event=eid))
    return 0


def _set(args) -> int:
    from ..allocation.ledger.statuses import KEEP as _KEEP

    with _open(args) as ledger:
        kwargs = {
            "expected_version": args.expect_version,
            "scenario_option": args.option if args.option is not None else _KEEP,
            "status_date": args.date,
            "note": args.note if args.note is not None else _KEEP,
        }
        if args.action == "correct":
            rec = ledger.correct_consent(args.project, args.holder, args.status, reason=args.reason, **kwargs)
        else:
            rec = ledger.set_consent(args.project, args.holder, args.status, reason=args.reason, **kwargs)
        values = {
            "holder": rec.holder,
            "project": rec.project,
            "status": rec.status,
            "label": rec.status_label,
            "version": rec.version,
        }
        if rec.scenario_option:
            print(
                tr(
                    "{holder} in project {project}: {status} ({label}), option {option}, version {version}",
                    option=rec.scenario_option,
                    **values,
                )
            )
        else:
            print(tr("{holder} in project {project}: {status} ({label}), version {version}", **values))
    return 0


def _request(args) -> int:
    with _open(args) as ledger:
        rid = ledger.add_request(
            args.text, project=args.project, holder=args.holder, event_id=args.event, request_date=args.date
        )
        print(tr("request {request} recorded", request=rid))
    return 0


def _respond(args) -> int:
    with _open(args) as ledger:
        row = ledger.respond(
            args.request,
            args.text,
            expected_version=args.expect_version,
            response_date=args.date,
            status="closed" if args.close else "answered",
        )
        print(
            tr(
                "request {request}: {status}, version {version}",
                request=args.request,
                status=row["status"],
                version=row["version"],
            )
        )
    return 0


def _import(args) -> int:
    from ..allocation.io.files import read_layer

    pieces = read_layer(args.pieces) if args.pieces else None
    cadastre = _holders_from(args)
    if cadastre is not None:
        from ..allocation.io.files import column_values

        holders = column_values(cadastre, args.holder_field)
    elif pieces is not None:
        holders = pieces["holder"].tolist()
    else:
        raise InputError(
            tr("Give the cadastre (--cadastre and --holder-field) or --pieces to match holders against.")
        )
    with _open(args) as ledger:
        preview = ledger.preview_import(
            args.file,
            holders,
            project=args.project,
            pieces=pieces,
            encoding=args.file_encoding,
            sheet=args.sheet,
        )
        print(preview.summary())
        if len(preview.rows):
            print_table(
                [
                    (r.row, r.holder_given, r.project, r.status, r.action, r.reason or "")
                    for r in preview.rows.itertuples(index=False)
                ],
                [tr("row"), tr("holder"), tr("project"), tr("status"), tr("action"), tr("reason")],
                align=[">", "<", "<", "<", "<", "<"],
            )
        if args.report:
            preview.write_report(args.report)
            print(tr("bad rows written: {path}", path=args.report))
        if args.dry_run:
            print(tr("dry run: nothing written"))
            return _rejected_status(args, len(preview.bad))
        result = ledger.commit_import(preview)
        counts = {
            "unchanged": result.unchanged,
            "bad": trn("{n} bad row", "{n} bad rows", len(result.bad)),
        }
        if result.holders_added:
            print(
                trn(
                    "imported {n} row; {unchanged} unchanged; {bad} not imported; holders added: {holders}",
                    "imported {n} rows; {unchanged} unchanged; {bad} not imported; holders added: {holders}",
                    result.imported,
                    holders=", ".join(result.holders_added),
                    **counts,
                )
            )
        else:
            print(
                trn(
                    "imported {n} row; {unchanged} unchanged; {bad} not imported",
                    "imported {n} rows; {unchanged} unchanged; {bad} not imported",
                    result.imported,
                    **counts,
                )
            )
    return _rejected_status(args, len(result.bad))


def _rejected_status(args, bad: int) -> int:
    """0, or :data:`REJECTED` (with a message saying so) when rows were rejected."""
    if not bad or getattr(args, "allow_rejected", False):
        return 0
    print(
        trn(
            "{n} row was rejected: exit status {status}. Correct it and import again, or pass "
            "--allow-rejected to accept the import without it.",
            "{n} rows were rejected: exit status {status}. Correct them and import again, or pass "
            "--allow-rejected to accept the import without them.",
            bad,
            status=REJECTED,
        ),
        file=sys.stderr,
    )
    return REJECTED


def _export(args) -> int:
    with _open(args) as ledger:
        path = ledger.export(args.out, project=args.project, public=args.public, encoding=args.file_encoding)
    print(tr("written: {path}", path=path))
    return 0


def _pieces(args):
    from ..allocation.io.files import read_layer

    if args.pieces:
        return read_layer(args.pieces)
    if not (args.boundary and args.cadastre and args.parcel_field and args.holder_field):
        raise InputError(
            tr(
                "Give --pieces (the affected pieces), or --boundary, --cadastre, --parcel-field and "
                "--holder-field to compute them."
            )
        )
    from ..allocation.affected import affected_area

    result = affected_area(
        read_layer(args.boundary),
        read_layer(args.cadastre),
        parcel_field=args.parcel_field,
        holder_field=args.holder_field,
        project_field=args.project_field,
        feedback=PrintFeedback(getattr(args, "quiet", False)),
    )
    return result.pieces


def print_progress(projects) -> None:
    """The per-project progress table, for a terminal."""

    def pct(x):
        return "-" if x != x else f"{x:.1%}"

    print_table(
        [
            (
                r.project,
                r.holders,
                r.consented,
                pct(r.consent_rate),
                r.signed,
                fmt_area(r.area),
                fmt_area(r.area_consented),
                pct(r.area_consent_rate),
                pct(r.area_signed_rate),
            )
            for r in projects.itertuples(index=False)
        ],
        [
            tr("project"),
            tr("holders"),
            tr("consented"),
            tr("rate"),
            tr("signed"),
            tr("area m²"),
            tr("consented m²"),
            tr("area rate"),
            tr("signed area"),
        ],
        align=["<", ">", ">", ">", ">", ">", ">", ">", ">"],
    )


def _threshold_verdicts(args, projects):
    """The legal thresholds evaluated on the progress table (None with ``--thresholds none``)."""
    if str(args.thresholds).lower() == "none":
        return None
    from ..allocation.ledger.consent import evaluate_thresholds, load_thresholds

    return evaluate_thresholds(projects, load_thresholds(args.thresholds))


def _progress(args) -> int:
    pieces = _pieces(args)
    with _open(args) as ledger:
        result = ledger.progress(pieces, area_field=args.area_field or None, projects=args.project)
    verdicts = _threshold_verdicts(args, result.projects)
    for note in result.notes:
        print(tr("note: {note}", note=note), file=sys.stderr)
    for w in result.warnings:
        print(tr("warning: {warning}", warning=w), file=sys.stderr)
    print_progress(result.projects)
    if verdicts is not None:
        from ..allocation.ledger.consent import verdict_lines

        print()
        print(tr("Legal thresholds:"))
        for line in verdict_lines(verdicts):
            print("  " + line)
    if args.out:
        out = Path(args.out)
        suffix = out.suffix.lower()
        if suffix == ".gpkg":
            from ..allocation.io.files import write_layers

            layers = {"consent_progress": result.projects, "consent_by_holder": result.holders}
            if verdicts is not None:
                layers["consent_thresholds"] = verdicts
            write_layers(out, layers)
        elif suffix in (".csv", ".xlsx"):
            from ..allocation.ledger.sheets import _write_frames

            frames = {"projects": result.projects}
            if suffix == ".xlsx":
                frames["holders"] = result.holders
                if verdicts is not None:
                    frames["thresholds"] = verdicts
            _write_frames(out, frames, "utf-8-sig")
        else:
            raise InputError(tr("--out: write to .csv, .xlsx or .gpkg, not '{suffix}'.", suffix=suffix))
        print(tr("written: {path}", path=out))
    return 0


def _show(args) -> int:
    with _open(args) as ledger:
        table = ledger.consent_table(args.project)
    print_table(
        [
            (
                r.project,
                r.holder,
                r.status,
                r.status_label,
                r.scenario_option,
                r.status_date,
                r.version,
                r.updated_by,
            )
            for r in table.itertuples(index=False)
        ],
        [tr("project"), tr("holder"), tr("status"), "", tr("option"), tr("date"), tr("version"), tr("by")],
        align=["<", "<", "<", "<", "<", "<", ">", "<"],
    )
    return 0


def _history(args) -> int:
    with _open(args) as ledger:
        if args.as_of:
            text = args.as_of.strip()
            state = ledger.state_as_of(int(text)) if text.isdigit() else ledger.state_as_of(at=text)
            consent = state["ledger_consent"]
            names = dict(zip(state["ledger_holders"].index, state["ledger_holders"]["holder"]))
            print(tr("consent as of {when}:", when=text))
            print_table(
                [
                    (r.project, names.get(r.holder_id), r.status, r.scenario_option, r.version)
                    for r in consent.itertuples(index=False)
                ],
                [tr("project"), tr("holder"), tr("status"), tr("option"), tr("version")],
            )
            return 0
        hist = ledger.history(args.table, args.record)
    print_table(
        [
            (i, r.changed_at, r.actor, r.action, r.table_name, r.record_id, r.changes, r.reason or "")
            for i, r in zip(hist.index, hist.itertuples(index=False))
        ],
        [
            tr("id"),
            tr("when (UTC)"),
            tr("who"),
            tr("action"),
            tr("table"),
            tr("record"),
            tr("changes"),
            tr("why"),
        ],
    )
    return 0


def _fingerprint(args) -> int:
    with _open(args) as ledger:
        fp = ledger.fingerprint(args.upto)
    print(tr("fingerprint code (校验码): {code}", code=fp.code))
    if fp.entries:
        print(
            tr(
                "audit entries: {entries} (ids up to {last}); the last one at {when} (UTC)",
                entries=fp.entries,
                last=fp.last_audit_id,
                when=fp.last_changed_at,
            )
        )
    else:
        print(tr("audit entries: none yet"))
    return 0


def _verify(args) -> int:
    with _open(args) as ledger:
        result = ledger.verify(args.code)
    print(result.message)
    print(
        tr(
            "audit entries: {then} when the code was taken, {now} now; audit trail {chain}; "
            "tables replayed from it {replay}",
            then=result.entries_then,
            now=result.entries_now,
            chain=tr("unchanged") if result.chain_ok else tr("CHANGED"),
            replay=tr("match") if result.replay_ok else tr("DIFFER"),
        )
    )
    return 0 if result.ok else CHANGED


def demo_step(
    project_gpkg,
    pieces,
    out_dir,
    *,
    officer: str = "演示 (demo)",
    parcels_layer: str = "parcels",
    holder_field: str = "权利人",
    type_field: str | None = "权利人类型",
    community_field: str | None = "社区",
):
    """The consultation step of ``landcoord demo``: a ledger in a copy of the project GeoPackage.

    Copies ``project_gpkg`` to ``out_dir/project.gpkg`` (the input is never modified), creates the
    ledger there, adds the cadastre's holders and records a **simulated** consultation history
    (printed as such): per project a villager-representative meeting with the community company,
    home visits to every holder, one request and its response, and consent statuses that follow
    the allowed transitions. Prints the progress by holders and by area and writes
    ``consent_progress.csv``, ``ledger.xlsx`` and ``ledger_public.xlsx`` (names masked).
    Returns the :class:`~landcoord.allocation.ledger.ProgressResult`.
    """
    import shutil

    from ..allocation.io.files import read_layer
    from ..allocation.ledger import Ledger, init_ledger

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "project.gpkg"
    tmp = out_dir / ".project.gpkg.tmp"
    shutil.copyfile(project_gpkg, tmp)
    tmp.replace(target)
    parcels = read_layer(f"{project_gpkg}|layername={parcels_layer}")
    with init_ledger(target, officer=officer) as ledger:
        ledger.sync_holders(parcels, holder_field, type_field=type_field, community_field=community_field)
        types = dict(zip(ledger.holders().holder, ledger.holders().holder_type))
        day = 0

        def next_day():
            nonlocal day
            day += 1
            return f"2024-{3 + day // 28:02d}-{1 + day % 28:02d}"

        projects = list(dict.fromkeys(str(p) for p in pieces["project"]))
        for project in projects:
            holders = sorted(
                {
                    str(h)
                    for p, h in zip(pieces["project"], pieces["holder"])
                    if str(p) == project and h is not None and str(h).strip()
                }
            )
            companies = [h for h in holders if types.get(h) in ("社区股份合作公司", "国有单位")]
            people = [h for h in holders if h not in companies]
            with ledger.transaction(f"demo: consultation of project {project}"):
                ledger.add_event(
                    "村民代表会议",
                    next_day(),
                    project=project,
                    place="社区会议室",
                    summary="介绍土地整备利益统筹方案 (demo)",
                    holders=companies,
                )
                for k in range(0, len(people), 10):
                    ledger.add_event(
                        "入户走访",
                        next_day(),
                        project=project,
                        summary="入户介绍补偿方案 (demo)",
                        holders=people[k : k + 10],
                    )
                if people:
                    rid = ledger.add_request("希望增加回迁面积 (demo)", project=project, holder=people[0])
                    ledger.respond(rid, "按规则核定，已书面答复 (demo)", expected_version=1)
                for i, h in enumerate(companies + people):
                    steps = {
                        0: ["negotiating", "agreed", "signed"],
                        1: ["agreed"],
                        2: ["negotiating", "agreed"],
                        3: ["negotiating"],
                        4: ["refused"],
                        5: [],
                    }[0 if h in companies else i % 6]
                    for status in steps:
                        option = "产权置换" if status == "agreed" and i % 2 == 0 else None
                        kwargs = {"scenario_option": option} if option else {}
                        ledger.set_consent(project, h, status, expected_version=None, **kwargs)
        result = ledger.progress(pieces)
        n_events = len(ledger.events())
        n_audit = ledger.last_audit_id()
        replay_ok = ledger.replay_matches()
        ledger.export(out_dir / "ledger.xlsx")
        ledger.export(out_dir / "ledger_public.xlsx", public=True)
    from ..allocation.ledger.sheets import _write_frames

    _write_frames(out_dir / "consent_progress.csv", {"projects": result.projects}, "utf-8-sig")
    with Ledger.open(target) as ledger:
        integrity = ledger.integrity_check()
    print(
        tr(
            "ledger in {path}: {holders} rights-holders, {events} events, {entries} audit entries "
            "(a SIMULATED consultation history, for the demo)",
            path=target,
            holders=len(types),
            events=n_events,
            entries=n_audit,
        )
    )
    print_progress(result.projects)
    if replay_ok:
        print(
            tr(
                "audit trail replayed to the current state: yes; integrity check: {integrity}",
                integrity=integrity,
            )
        )
    else:
        print(
            tr(
                "audit trail replayed to the current state: NO; integrity check: {integrity}",
                integrity=integrity,
            )
        )
    print(
        tr(
            "written: {progress}, {ledger}, {public} (names masked)",
            progress=out_dir / "consent_progress.csv",
            ledger=out_dir / "ledger.xlsx",
            public=out_dir / "ledger_public.xlsx",
        )
    )
    return result
