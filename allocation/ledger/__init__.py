"""The consultation and consent ledger (协商与同意台账), stored in the project's GeoPackage or a
PostgreSQL schema, audited, fingerprinted.

Modules (each imports only the ones listed after it, and the core's leaf modules: ``errors``,
``i18n``, ``io``, ``privacy``, ``rules``, ``_quantities``):

- :mod:`.ledger`: the :class:`Ledger` class: opening (and migrating an older schema on the first
  write), transactions, reads and writes of holders, events, requests and consent;
- :mod:`.sheets`: consent spreadsheets in (preview, import) and out (CSV/XLSX export), through the
  Ledger's public methods only (it never imports :mod:`.ledger`);
- :mod:`.audit`: the audit trail: history, replay (state as of an entry, replay against the
  tables), the fingerprint (校验码) chain and its verification (the Ledger's methods of those
  names call it with the ledger; it never imports :mod:`.ledger`);
- :mod:`.records`: the procedure's records (stage moves, sign-offs, public notices, objections) as
  tables, read-only (for the procedure modules and the xlsx export's procedure sheets);
- :mod:`.consent`: consent rates per project (by holders and by area) and the legal consent
  thresholds (rule-set values with provenance) they are judged against;
- :mod:`.statuses`: consent statuses, transitions, event kinds, dates and keys as the ledger reads them;
- :mod:`.backend`: SQLite/GeoPackage and PostgreSQL storage, the schema migration, and the
  table readers (``read_rows``, ``table_frame``) shared by the Ledger, audit and the procedure;
- :mod:`.schema`: the tables, their triggers, the schema version and what each version added.

The project procedure that stores its records in the ledger (``allocation.procedure``, ``notice``,
``consultation``, ``monitoring``, ``decisions``) imports this package; this package never imports
it (the xlsx export's procedure sheets are read with :mod:`.records`).

Everything importable from ``landcoord.allocation.ledger`` before it became a package still is.
"""

from .audit import LedgerFingerprint, LedgerVerification
from .consent import (
    CONSENTED,
    HOLDER_PROGRESS_COLUMNS,
    PROGRESS_COLUMNS,
    THRESHOLDS_DIR,
    VERDICT_COLUMNS,
    ProgressResult,
    Threshold,
    ThresholdSet,
    consent_progress,
    evaluate_thresholds,
    load_thresholds,
    pieces_status,
    verdict_lines,
)
from .ledger import LEDGER_TABLES, ConsentRecord, Ledger, SyncReport, init_ledger, open_ledger
from .schema import EVENT_KINDS, REQUEST_STATUSES, STATUSES, TRANSITIONS
from .statuses import allowed_transitions, event_kind_code, reachable, status_code

__all__ = [
    "Ledger",
    "open_ledger",
    "init_ledger",
    "ConsentRecord",
    "SyncReport",
    "LedgerFingerprint",
    "LedgerVerification",
    "ProgressResult",
    "consent_progress",
    "pieces_status",
    "status_code",
    "event_kind_code",
    "allowed_transitions",
    "reachable",
    "STATUSES",
    "TRANSITIONS",
    "EVENT_KINDS",
    "REQUEST_STATUSES",
    "CONSENTED",
    "PROGRESS_COLUMNS",
    "HOLDER_PROGRESS_COLUMNS",
    "LEDGER_TABLES",
    "THRESHOLDS_DIR",
    "VERDICT_COLUMNS",
    "Threshold",
    "ThresholdSet",
    "load_thresholds",
    "evaluate_thresholds",
    "verdict_lines",
]
