"""Rule sets as data: every ratio, cap, threshold and formula with its source and a verified flag.

A rule set is a TOML file (shipped ones live in ``allocation/rules/``) with four sections:

``[ruleset]``
    ``id``, ``title``, ``results`` (the step keys the trail ends in), optionally ``conditions``
    (steps that must be true, e.g. an entry condition), ``extends`` (a shipped rule set name or a
    path relative to this file whose entries this file overrides), ``example`` (true: illustrative
    values that can never give an official result), ``jurisdiction``, ``version``, ``description``.
``[values.KEY]``
    A number, an empty slot (``value = ""``) for the officer to fill in, a list of classes, or a
    tier table (``by``, ``breakpoints``, ``values``; one or more dimensions, lower bounds
    inclusive). Each with ``label``, ``unit``, ``document``, ``article``, ``version``, ``source``
    (address), ``verified`` and optionally ``grade`` and ``note``.
``[measures.KEY]``
    A geometric quantity computed from the layers (``kind = "largest_block"``: the largest
    contiguous block of pieces of some categories lying on zoning classes), with provenance.
``[steps.KEY]``
    A formula in the safe expression language of :mod:`.expr` over data quantities
    (:data:`DATA_QUANTITIES`), values, measures and earlier steps, with provenance.

Every problem in a file is reported with the file name, the line and the key, all at once.
A value or formula with ``verified = false``, or an empty value, is carried through the trail:
every row says whether it and everything it depends on is verified, and an "official" result is
refused while a result depends on anything unverified or empty.

Examples
--------
>>> rs = load_rules("shenzhen_benefit_coordination")
>>> rs.values["shared_cap_ratio"].value, rs.values["shared_cap_ratio"].verified
(0.3, True)
>>> rs.values["cap_ratio"].empty, rs.values["cap_ratio"].verified
(True, False)

What it holds
-------------
- :mod:`.model`: the dataclasses (:class:`RuleSet`, :class:`Value`, :class:`Tiers`, :class:`Step`,
  :class:`Measure`, :class:`Provenance`; the trail's :class:`Quantity`, :class:`TrailRow`,
  :class:`Evaluation`), the units and data quantities, and :data:`RULES_DIR`.
- :mod:`.load`: reading and validating a TOML rule set (:func:`load_rules`), and
  :func:`provenance`, the one reader of an entry's source used by every rule file of landcoord.
- :mod:`.evaluate`: :func:`evaluate`, the trail of one block, and :func:`check_figure`.
- :mod:`.expr`: the safe expression language of the formulas.
- :mod:`.toml`: TOML read with the line of every key, and :class:`Problems`, every problem of a file
  at once with its line (used by the other rule files too: scenarios, thresholds, the procedure,
  the control registry).
- The shipped TOML data, in this folder: rule sets (``*.toml``, ``examples/``), ``scenarios/``,
  ``finance/``, ``thresholds/``, ``procedure/``. :data:`RULES_DIR` is this folder, so paths
  such as ``allocation/rules/guangdong_2016.toml`` and ``extends`` are unchanged.

What it may import: the standard library, and from the core only :mod:`..errors` and
:mod:`..i18n`. Nothing of a step (quota, scenarios, finance ...) is imported here; they import it.
Never QGIS.
"""

from __future__ import annotations

from .evaluate import *  # noqa: F403
from .evaluate import ImpossibleFigureError
from .evaluate import __all__ as _evaluate_all
from .expr import *  # noqa: F403
from .expr import __all__ as _expr_all
from .load import *  # noqa: F403
from .load import __all__ as _load_all
from .model import *  # noqa: F403
from .model import __all__ as _model_all

# shown as raised from the package (``landcoord.allocation.rules.ImpossibleFigureError``), where
# callers import it from
ImpossibleFigureError.__module__ = __name__

# the package's names are its modules' (model, load, evaluate, and the expression language expr)
__all__ = [*_model_all, *_load_all, *_evaluate_all, *_expr_all]
