"""The registry of control-line kinds of the "one map": names, aliases, severity, rule and source.

The kinds live in a TOML file, ``controls.toml`` beside this module. An officer adds a local kind, an
alias or a stricter severity in a file of their own, which is merged over the shipped one; no code
changes. Every problem in a registry file is reported with the file, the key and the line.

Kind values in a control layer are matched against each kind's name, English name and aliases,
ignoring case and whitespace (including full-width spaces).
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, RuleError
from .i18n import tr
from .rules.toml import key_lines, line_of
from .rules.toml import loads as toml_loads

__all__ = [
    "SEVERITIES",
    "RULE_TYPES",
    "DEFAULT_REGISTRY",
    "ControlKind",
    "ControlRegistry",
    "UnknownKindError",
    "load_registry",
    "normalize_kind",
    "ExclusionZones",
    "exclusion_zones",
]

#: Severities a kind can have, from the most to the least severe.
SEVERITIES = ("blocking", "review", "advisory")
#: ``must_not_overlap``: the part of a proposal inside the zones is the conflict.
#: ``must_lie_inside``: the part of a proposal outside the union of the zones is the conflict.
RULE_TYPES = ("must_not_overlap", "must_lie_inside")

#: The registry shipped with landcoord.
DEFAULT_REGISTRY = Path(__file__).resolve().parent / "controls.toml"

_TEXT_FIELDS = (
    "name",
    "name_en",
    "severity",
    "rule_type",
    "rule",
    "rule_en",
    "adjustment",
    "adjustment_en",
    "document",
    "article",
    "source_note",
)
_FIELDS = (*_TEXT_FIELDS, "aliases", "verified")
#: Fields a kind that is new (not in the registry it is merged over) must have.
_REQUIRED = ("name", "severity", "rule_type", "rule", "document")
_TOP_LEVEL = ("format", "kinds")


def normalize_kind(value) -> str:
    """The form kind values are compared in: NFKC, case-folded, without any whitespace.

    Examples
    --------
    >>> normalize_kind("  Ecological Protection  Red Line ")
    'ecologicalprotectionredline'
    >>> normalize_kind("生态\\u3000红线") == normalize_kind("生态红线")
    True
    """
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return "".join(text.split())


@dataclass(frozen=True)
class ControlKind:
    """One kind of control line and its rule.

    Attributes
    ----------
    key : str
        The kind's key in the registry (``[kinds.KEY]``).
    name, name_en : str
        Chinese and English names; ``name`` is what outputs show as the kind.
    aliases : tuple of str
        Other values a control layer may hold for this kind.
    severity : str
        One of :data:`SEVERITIES`.
    rule_type : str
        One of :data:`RULE_TYPES`.
    rule, rule_en : str
        The rule in Chinese and English.
    adjustment, adjustment_en : str
        How the line can be adjusted, where there is a route ("" otherwise).
    document, article : str
        Where the rule comes from (``article`` empty when none was read).
    verified : bool
        Whether the rule was read in the official text.
    source_note : str
        Grade of the source and how it was checked.
    origin : str
        The registry file(s) the entry came from, for messages.
    """

    key: str
    name: str
    severity: str
    rule_type: str
    rule: str
    document: str
    name_en: str = ""
    aliases: tuple = ()
    rule_en: str = ""
    adjustment: str = ""
    adjustment_en: str = ""
    article: str = ""
    verified: bool = False
    source_note: str = ""
    origin: str = ""

    @property
    def source(self) -> str:
        """Document and article, marked ``unverified`` unless read in the official text.

        Examples
        --------
        >>> k = ControlKind("x", "绿线", "blocking", "must_not_overlap", "r", "Some law", article="art. 3")
        >>> k.source
        'Some law, art. 3 (unverified)'
        """
        text = self.document + (f", {self.article}" if self.article else "")
        return text + ("" if self.verified else " (unverified)")

    @property
    def names(self) -> tuple:
        """Name, English name and aliases: every value that means this kind."""
        return tuple(v for v in (self.name, self.name_en, *self.aliases) if v)

    @property
    def label(self) -> str:
        """``name (name_en)`` for messages."""
        return f"{self.name} ({self.name_en})" if self.name_en else self.name


class UnknownKindError(InputError):
    """A control layer has kind values the registry does not know.

    Attributes
    ----------
    unknown : dict
        Each unknown value (as in the layer) to the feature ids that carry it.
    known : list of str
        Labels of the known kinds.
    """

    def __init__(self, message: str, unknown: dict, known: list):
        super().__init__(message)
        self.unknown = unknown
        self.known = known


@dataclass
class ControlRegistry:
    """The control-line kinds in force, in registry order, and how values map to them.

    Build it with :func:`load_registry`.

    Examples
    --------
    >>> reg = load_registry()
    >>> reg.lookup("ECO_RED").name
    '生态保护红线'
    >>> reg.lookup(" urban development BOUNDARY ").rule_type
    'must_lie_inside'
    >>> reg.lookup("红线") is None
    True
    """

    kinds: dict
    files: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    _index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._index:
            self._index = {normalize_kind(n): k.key for k in self.kinds.values() for n in k.names}

    def __iter__(self):
        return iter(self.kinds.values())

    def __len__(self) -> int:
        return len(self.kinds)

    def __getitem__(self, key: str) -> ControlKind:
        return self.kinds[key]

    def lookup(self, value) -> ControlKind | None:
        """The kind a layer value means, or None when no kind has that name or alias."""
        if value is None:
            return None
        key = self._index.get(normalize_kind(value))
        return self.kinds[key] if key is not None else None

    def resolve(self, values, ids, *, layer: str, field_name: str) -> np.ndarray:
        """The key of the kind each value means; :class:`UnknownKindError` lists every value not known.

        Parameters
        ----------
        values : sequence
            The kind column of a control layer.
        ids : sequence
            Feature ids, for the message.
        layer, field_name : str
            Layer and field names, for the message.

        Returns
        -------
        numpy.ndarray of str, the kind key of each value.

        Examples
        --------
        >>> load_registry().resolve(["绿线", "GREEN line"], [1, 2], layer="controls", field_name="kind")
        array(['green_line', 'green_line'], dtype=object)
        """
        values = np.asarray(values, dtype=object)
        ids = np.asarray(ids, dtype=object)
        labels = np.array(
            [
                "(empty)" if v is None or (isinstance(v, float) and v != v) or not str(v).strip() else str(v)
                for v in values
            ],
            dtype=object,
        )
        codes, uniques = pd.factorize(labels)
        keys = np.empty(len(uniques), dtype=object)
        unknown: dict = {}
        for u, label in enumerate(uniques):
            kind = None if label == "(empty)" else self.lookup(label)
            if kind is None:
                unknown[label] = ids[codes == u].tolist()
            else:
                keys[u] = kind.key
        if unknown:
            raise UnknownKindError(self._unknown_message(unknown, layer, field_name), unknown, self.labels())
        return keys[codes]

    def labels(self) -> list:
        return [k.label for k in self.kinds.values()]

    def _unknown_message(self, unknown: dict, layer: str, field_name: str) -> str:
        def fids(ids):
            shown = ", ".join(str(i) for i in ids[:10])
            if len(ids) > 10:
                return tr("{shown} and {more} more", shown=shown, more=len(ids) - 10)
            return shown

        def value(v, ids):
            shown = tr("(empty)") if v == "(empty)" else v
            if len(ids) == 1:
                return tr(
                    "'{value}' ({count} zone: feature {features})", value=shown, count=1, features=fids(ids)
                )
            return tr(
                "'{value}' ({count} zones: feature {features})",
                value=shown,
                count=len(ids),
                features=fids(ids),
            )

        values = "; ".join(value(v, ids) for v, ids in unknown.items())
        known = "; ".join(
            f"{k.name} [{k.key}] = " + ", ".join(a for a in k.names if a != k.name)
            for k in self.kinds.values()
        )
        example_value = next((v for v in unknown if v != "(empty)"), "…")
        example_key = next(iter(self.kinds)) if self.kinds else "road_red_line"
        parts = [
            tr(
                "Layer '{layer}': field '{field}' has kind value(s) the control-line registry does not "
                "know: {values}. Known kinds (name [key] = aliases): {known}. To map a value to a kind, "
                "add it as an alias in a registry file of your own, e.g.\n"
                '[kinds.{example_key}]\naliases = ["{example_value}"]\n'
                "and pass that file as REGISTRY (Processing) or --registry (command line); a new kind "
                "needs a [kinds.NEW_KEY] table with name, severity, rule_type, rule and document.",
                layer=layer,
                field=field_name,
                values=values,
                known=known,
                example_key=example_key,
                example_value=example_value,
            )
        ]
        if "(empty)" in unknown:
            parts.append(tr("Zones with an empty kind need a value in '{field}'.", field=field_name))
        parts.append(tr("Registry in use: {files}.", files=", ".join(str(f) for f in self.files)))
        return " ".join(parts)


# --- reading ------------------------------------------------------------------------------------


class _Source:
    """A registry file's path and text, for errors that name file, key and line."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self._lines = None

    def error(self, message: str, table: tuple = (), key: str | None = None) -> RuleError:
        path = (*table, key) if key else tuple(table)
        dotted = ".".join(path)
        line = None
        if path:
            if self._lines is None:
                self._lines = key_lines(self.text)
            line = line_of(self._lines, path)
        if dotted and line:
            return RuleError(
                tr(
                    "Registry file '{path}', key '{key}' (line {line}): {message}",
                    path=self.path,
                    key=dotted,
                    line=line,
                    message=message,
                )
            )
        if dotted:
            return RuleError(
                tr(
                    "Registry file '{path}', key '{key}': {message}",
                    path=self.path,
                    key=dotted,
                    message=message,
                )
            )
        return RuleError(tr("Registry file '{path}': {message}", path=self.path, message=message))


def _read(path) -> tuple[_Source, dict]:
    path = Path(os.fspath(path))
    if not path.exists():
        raise RuleError(tr("Registry file '{path}' does not exist. Check the path.", path=path))
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleError(
            tr("Registry file '{path}' is not UTF-8 text ({error}); save it as UTF-8.", path=path, error=exc)
        ) from exc
    except OSError as exc:
        raise RuleError(tr("Registry file '{path}' cannot be read: {error}", path=path, error=exc)) from exc
    src = _Source(path, text)
    try:
        data = toml_loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(
            tr("Registry file '{path}' is not valid TOML: {error}. Fix the line named.", path=path, error=exc)
        ) from exc
    return src, data


def _entries(src: _Source, data: dict) -> dict:
    """Validate a registry file's content and return ``{key: {field: value}}``."""
    for top in data:
        if top not in _TOP_LEVEL:
            raise src.error(
                tr(
                    "unknown top-level key; a registry file has only {keys} "
                    "(kinds go in [kinds.KEY] tables).",
                    keys=", ".join(_TOP_LEVEL),
                ),
                key=top,
            )
    fmt = data.get("format", 1)
    if fmt != 1:
        raise src.error(
            tr("format {value} is not supported; this landcoord reads format 1.", value=repr(fmt)),
            key="format",
        )
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict):
        raise src.error(tr("must be a table of kinds ([kinds.KEY])."), key="kinds")
    out = {}
    for key, entry in kinds.items():
        table = ("kinds", key)
        if not isinstance(entry, dict):
            raise src.error(tr("must be a table ([kinds.KEY] with name, severity, ...)."), table=table)
        for name, value in entry.items():
            if name not in _FIELDS:
                raise src.error(
                    tr("unknown field; a kind has the fields {fields}.", fields=", ".join(_FIELDS)),
                    table,
                    name,
                )
            if name == "aliases":
                if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                    raise src.error(
                        tr('must be a list of strings, e.g. aliases = ["生态红线", "ECO_RED"].'), table, name
                    )
                if any(not a.strip() for a in value):
                    raise src.error(tr("has an empty alias; remove it."), table, name)
            elif name == "verified":
                if not isinstance(value, bool):
                    raise src.error(tr("must be true or false, not {value}.", value=repr(value)), table, name)
            elif not isinstance(value, str):
                raise src.error(tr("must be a string, not {value}.", value=repr(value)), table, name)
        if "severity" in entry and entry["severity"] not in SEVERITIES:
            raise src.error(
                tr(
                    "{value} is not a severity; use one of {severities}.",
                    value=repr(entry["severity"]),
                    severities=", ".join(SEVERITIES),
                ),
                table,
                "severity",
            )
        if "rule_type" in entry and entry["rule_type"] not in RULE_TYPES:
            raise src.error(
                tr(
                    "{value} is not a rule type; use one of {rule_types}.",
                    value=repr(entry["rule_type"]),
                    rule_types=", ".join(RULE_TYPES),
                ),
                table,
                "rule_type",
            )
        for name in ("name", "severity", "rule_type", "rule", "document"):
            if name in entry and not entry[name].strip():
                raise src.error(tr("must not be empty."), table, name)
        out[key] = dict(entry)
    return out


def _merge(base: dict, src: _Source, entries: dict, notes: list) -> dict:
    """Entries of one file merged over the kinds read so far (aliases are added, the rest replaced)."""
    kinds = dict(base)
    origin = str(src.path)
    for key, entry in entries.items():
        table = ("kinds", key)
        if key in kinds:
            old = kinds[key]
            changes = {k: v for k, v in entry.items() if k != "aliases"}
            aliases = tuple(dict.fromkeys((*old.aliases, *entry.get("aliases", ()))))
            kinds[key] = replace(old, **changes, aliases=aliases, origin=f"{old.origin} + {origin}")
            changed = sorted(k for k, v in changes.items() if getattr(old, k) != v)
            added = [a for a in entry.get("aliases", ()) if a not in old.aliases]
            changes_text = ", ".join(f"{c} = {entry[c]!r}" for c in changed)
            if changed and added:
                notes.append(
                    tr(
                        "Registry '{path}': kind {name} [{key}] changed {changes}; aliases added: {aliases}",
                        path=src.path,
                        name=old.name,
                        key=key,
                        changes=changes_text,
                        aliases=", ".join(added),
                    )
                )
            elif changed:
                notes.append(
                    tr(
                        "Registry '{path}': kind {name} [{key}] changed {changes}",
                        path=src.path,
                        name=old.name,
                        key=key,
                        changes=changes_text,
                    )
                )
            elif added:
                notes.append(
                    tr(
                        "Registry '{path}': kind {name} [{key}] aliases added: {aliases}",
                        path=src.path,
                        name=old.name,
                        key=key,
                        aliases=", ".join(added),
                    )
                )
        else:
            missing = [f for f in _REQUIRED if f not in entry]
            if missing:
                raise src.error(
                    tr(
                        "a new kind needs the fields {fields}; missing: {missing}. "
                        "(To change a shipped kind, use its key: {keys}.)",
                        fields=", ".join(_REQUIRED),
                        missing=", ".join(missing),
                        keys=", ".join(base),
                    ),
                    table,
                )
            kinds[key] = ControlKind(
                key=key,
                aliases=tuple(dict.fromkeys(entry.get("aliases", ()))),
                origin=origin,
                **{k: v for k, v in entry.items() if k != "aliases"},
            )
            notes.append(
                tr(
                    "Registry '{path}': local kind {name} [{key}] added.",
                    path=src.path,
                    name=entry["name"],
                    key=key,
                )
            )
    return _settle_aliases(kinds, base, src, entries, notes)


def _gives(entries: dict, key: str, norm: str) -> bool:
    """Whether this file's entry ``key`` lists an alias that normalises to ``norm``."""
    return any(normalize_kind(a) == norm for a in entries.get(key, {}).get("aliases", ()))


def _settle_aliases(kinds: dict, base: dict, src: _Source, entries: dict, notes: list) -> dict:
    """Make every name and alias mean one kind.

    An alias this file gives a kind wins over the same alias of another kind read earlier (the
    officer's file overrides the shipped one; a note says so). Two kinds of one file sharing a value,
    or an alias equal to another kind's name, is an error naming both.
    """
    owner = _name_owners(kinds, src, entries)  # names first: a name always means its own kind
    fixed = dict(kinds)
    for k in kinds.values():
        for alias in k.aliases:
            norm = normalize_kind(alias)
            if norm not in owner:
                owner[norm] = (k.key, "alias")
            elif owner[norm][0] != k.key:
                _settle_alias(fixed, owner, k, alias, norm, src, entries, notes)
    return fixed


def _name_owners(kinds: dict, src: _Source, entries: dict) -> dict:
    """``{normalised name: (kind key, "name")}`` of every kind's name and English name; two kinds with
    one name are an error naming the kind of this file."""
    owner: dict = {}
    for k in kinds.values():
        for value in (k.name, k.name_en):
            if not value:
                continue
            norm = normalize_kind(value)
            if norm in owner and owner[norm][0] != k.key:
                other = owner[norm][0]
                bad = k.key if k.key in entries else other
                raise src.error(
                    tr(
                        "'{value}' is the name of kind [{other}] and of kind [{kind}]; "
                        "a name must mean one kind.",
                        value=value,
                        other=other,
                        kind=k.key,
                    ),
                    ("kinds", bad),
                    "name" if value == kinds[bad].name else "name_en",
                )
            owner[norm] = (k.key, "name")
    return owner


def _settle_alias(
    fixed: dict, owner: dict, k, alias: str, norm: str, src: _Source, entries: dict, notes: list
):
    """``alias`` of kind ``k`` already means another kind: the kind this file gives it to keeps it (the
    other loses it, in ``fixed``, with a note); an alias that is another kind's name, or that this file
    gives to both kinds, is an error."""
    other, how = owner[norm]
    mine = _gives(entries, k.key, norm)
    theirs = _gives(entries, other, norm)
    if how == "name":
        raise src.error(
            tr(
                "alias '{alias}' is the name of kind [{other}]; an alias cannot take another kind's name.",
                alias=alias,
                other=other,
            ),
            ("kinds", k.key if mine else other),
            "aliases",
        )
    if mine and not theirs:
        # this file moves the alias from the earlier kind to this one
        prev = fixed[other]
        fixed[other] = _without_alias(prev, norm)
        owner[norm] = (k.key, "alias")
        notes.append(_alias_moved(src, alias, k, prev))
    elif theirs and not mine:
        cur = fixed[k.key]
        fixed[k.key] = _without_alias(cur, norm)
        notes.append(_alias_moved(src, alias, fixed[other], cur))
    else:
        raise src.error(
            tr(
                "alias '{alias}' is given to kind [{other}] and to kind [{kind}]; an alias must mean "
                "one kind.",
                alias=alias,
                other=other,
                kind=k.key,
            ),
            ("kinds", k.key),
            "aliases",
        )


def _without_alias(kind, norm: str):
    """``kind`` without the aliases that normalise to ``norm``."""
    return replace(kind, aliases=tuple(a for a in kind.aliases if normalize_kind(a) != norm))


def _alias_moved(src: _Source, alias: str, to, from_) -> str:
    """The note that ``alias`` now means kind ``to``, no longer kind ``from_``."""
    return tr(
        "Registry '{path}': alias '{alias}' now means {name} [{key}], no longer {old_name} [{old_key}].",
        path=src.path,
        alias=alias,
        name=to.name,
        key=to.key,
        old_name=from_.name,
        old_key=from_.key,
    )


def load_registry(path=None, *, base=DEFAULT_REGISTRY) -> ControlRegistry:
    """Read the control-line registry: the shipped one, with an officer's file merged over it.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The officer's registry file. Fields it gives replace the shipped ones (``aliases`` are
        added); kinds it adds need ``name``, ``severity``, ``rule_type``, ``rule`` and ``document``.
        An alias it gives a kind wins over the same alias of a shipped kind.
    base : str or os.PathLike, optional
        The registry merged over (default: the shipped ``controls.toml``).

    Raises
    ------
    RuleError
        When a file is missing, is not valid TOML, or has an invalid entry; the message names the
        file, the key and the line.

    Examples
    --------
    >>> reg = load_registry()
    >>> len(reg), reg["purple_line"].severity
    (9, 'review')
    """
    notes: list = []
    src, data = _read(base)
    kinds = _merge({}, src, _entries(src, data), notes)
    notes.clear()  # the shipped registry's own composition is not news
    files = [src.path]
    if path is not None and str(path) != "":
        src, data = _read(path)
        kinds = _merge(kinds, src, _entries(src, data), notes)
        files.append(src.path)
    return ControlRegistry(kinds=kinds, files=files, notes=notes)


# -- what carved land keeps clear of ---------------------------------------------------------------


@dataclass(frozen=True)
class ExclusionZones:
    """Which control-line kinds carved retained land must avoid, and which it must lie inside.

    The one decision, made from the registry's severity and rule type (:func:`exclusion_zones`),
    that the dock, ``landcoord carve``/``demo`` and the Processing algorithm all use:

    - ``avoid``: blocking kinds whose rule is ``must_not_overlap`` (red lines, farmland, roads ...):
      carved land is kept clear of their zones;
    - ``inside``: blocking kinds whose rule is ``must_lie_inside`` (the urban development boundary):
      carved land is kept inside the union of their zones;
    - ``not_avoided``: kinds of another severity, never a hard limit. Of these the ``review``
      kinds (:attr:`review`, e.g. the purple line) are kept clear of where every quota still fits
      that way (else carved as without them, and a warning names the parcels on them); the
      ``advisory`` kinds are not avoided. The conflicts step reports carved land on either for
      review by hand.

    An officer's registry that makes a kind blocking (or no longer blocking) changes this for every
    entry point at once.
    """

    avoid: tuple
    inside: tuple
    not_avoided: tuple
    registry: ControlRegistry = field(repr=False, compare=False, default=None)

    @staticmethod
    def _values(kinds) -> tuple:
        return tuple(n for k in kinds for n in k.names)

    @property
    def avoid_values(self) -> tuple:
        """Every name and alias of the ``avoid`` kinds (the values a kind field may hold).

        Examples
        --------
        >>> zones = exclusion_zones()
        >>> "生态红线" in zones.avoid_values, "紫线" in zones.avoid_values
        (True, False)
        """
        return self._values(self.avoid)

    @property
    def inside_values(self) -> tuple:
        """Every name and alias of the ``inside`` kinds."""
        return self._values(self.inside)

    def split(self, values, ids, *, layer: str, field_name: str) -> tuple[np.ndarray, np.ndarray]:
        """Masks ``(avoid, inside)`` over a control layer's kind column.

        Every value must be known to the registry (:class:`UnknownKindError` lists the ones that
        are not, with their feature ids): an unknown kind is never silently carved over.

        Examples
        --------
        >>> zones = exclusion_zones()
        >>> avoid, inside = zones.split(["绿线", "UDB", "紫线"], [1, 2, 3], layer="c", field_name="kind")
        >>> avoid.tolist(), inside.tolist()
        ([True, False, False], [False, True, False])
        """
        keys = self.registry.resolve(values, ids, layer=layer, field_name=field_name)
        avoid = {k.key for k in self.avoid}
        inside = {k.key for k in self.inside}
        return (
            np.array([k in avoid for k in keys], dtype=bool),
            np.array([k in inside for k in keys], dtype=bool),
        )

    def frames(self, controls, kind_field: str):
        """The zones of the control layer ``controls`` (a GeoDataFrame) to avoid and to lie inside.

        Returns ``(avoid, inside)``, GeoDataFrames named after the layer; ``inside`` is None when
        the layer has no zone of an ``inside`` kind (carved land is then not bound to one).
        """
        from .io.files import require_field

        name = controls.attrs.get("name", "controls")
        require_field(controls, kind_field, tr("the kind of each control zone"))
        avoid, inside = self.split(
            controls[kind_field].tolist(), controls.index.tolist(), layer=name, field_name=kind_field
        )
        a, i = controls[avoid], controls[inside]
        a.attrs["name"] = tr("{layer} (blocking zones)", layer=name)
        i.attrs["name"] = tr("{layer} (zones to lie inside)", layer=name)
        return a, (i if len(i) else None)

    @property
    def review(self) -> tuple:
        """The ``not_avoided`` kinds of severity ``review`` (the purple line): carving keeps clear of
        their zones when every quota still fits that way, and says where it could not.

        Examples
        --------
        >>> [k.key for k in exclusion_zones().review]
        ['purple_line']
        """
        return tuple(k for k in self.not_avoided if k.severity == "review")

    def review_frame(self, controls, kind_field: str):
        """The zones of the control layer ``controls`` of a :attr:`review` kind, named after the
        layer, or None when it has none (every kind must be known, as in :meth:`frames`)."""
        from .io.files import require_field

        name = controls.attrs.get("name", "controls")
        require_field(controls, kind_field, tr("the kind of each control zone"))
        keys = self.registry.resolve(
            controls[kind_field].tolist(), controls.index.tolist(), layer=name, field_name=kind_field
        )
        review = {k.key: k for k in self.review}
        zones = controls[np.array([k in review for k in keys], dtype=bool)]
        kinds = ", ".join(dict.fromkeys(review[k].name for k in keys if k in review))
        zones.attrs["name"] = tr("{layer} (for review by hand: {kinds})", layer=name, kinds=kinds)
        return zones if len(zones) else None

    def statement(self) -> str:
        """One line saying what carving keeps clear of and why, for the log of every entry point.

        Examples
        --------
        >>> print(exclusion_zones().statement())  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
        Control lines (registry controls.toml): carved land keeps clear of the blocking kinds ... and
        lies inside 城镇开发边界. It keeps clear of 紫线 (review) too where the quotas still fit ...
        """
        lines = [
            tr(
                "Control lines (registry {files}): carved land keeps clear of the blocking kinds {avoid} "
                "and lies inside {inside}.",
                files=", ".join(Path(f).name for f in (self.registry.files if self.registry else [])),
                avoid=", ".join(k.name for k in self.avoid) or "-",
                inside=", ".join(k.name for k in self.inside) or "-",
            )
        ]
        if self.review:
            lines.append(
                tr(
                    "It keeps clear of {review} too where the quotas still fit (else a warning names the "
                    "parcels on them: review them by hand in the conflicts step).",
                    review=", ".join(f"{k.name} ({k.severity})" for k in self.review),
                )
            )
        others = [k for k in self.not_avoided if k not in self.review]
        if others:
            lines.append(
                tr(
                    "It does not avoid {kinds} (not blocking: check them by hand in the conflicts step).",
                    kinds=", ".join(f"{k.name} ({k.severity})" for k in others),
                )
            )
        return " ".join(lines)


def exclusion_zones(registry=None) -> ExclusionZones:
    """Which control-line kinds carved land avoids and lies inside, decided from ``registry``.

    Parameters
    ----------
    registry : ControlRegistry, str or os.PathLike, optional
        A loaded registry, or an officer's registry file merged over the shipped one
        (:func:`load_registry`); None: the shipped registry.

    Examples
    --------
    >>> zones = exclusion_zones()
    >>> [k.key for k in zones.inside], [k.key for k in zones.not_avoided]
    (['urban_development_boundary'], ['purple_line'])
    >>> len(zones.avoid)
    7
    """
    if not isinstance(registry, ControlRegistry):
        registry = load_registry(registry)
    avoid, inside, other = [], [], []
    for kind in registry:
        if kind.severity != "blocking":
            other.append(kind)
        elif kind.rule_type == "must_lie_inside":
            inside.append(kind)
        else:
            avoid.append(kind)
    return ExclusionZones(tuple(avoid), tuple(inside), tuple(other), registry)
