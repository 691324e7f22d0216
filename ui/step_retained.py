"""The Retained land step: ``landcoord:carveretained`` to the quotas of the Quota step.

Land retained land may not use: the control lines, given to the algorithm as they are (CONTROLS,
with the kind field and the officer's registry), and any layer the officer adds. Which kinds carved
land keeps clear of (blocking "must not overlap"), lies inside (blocking "must lie inside": the
urban development boundary) and keeps clear of when the quotas still fit (the review kinds, such as
the purple line 紫线) is decided in one place, :func:`landcoord.allocation.controls.exclusion_zones`,
inside the algorithm: the dock, ``landcoord carve --controls`` and Processing carve alike.
"""

from __future__ import annotations

from qgis.core import QgsExpression, QgsFeatureRequest, QgsVectorLayer

from .checks import LAYER_FILTERS, crs_notes, optional_field, optional_layer, require_field, require_layer
from .guard import SetupError, guarded
from .results import style_by_community
from .step import StepController
from .tables import Column, SearchableTable, layer_records

__all__ = ["RetainedStep"]

CARVE_ID = "landcoord:carveretained"
#: Planned uses kept clear of by default: urban roads (S1) and public facilities (GIC), as issue 6 and
#: the Shenzhen land-use classification name them; the officer sees and edits the list.
DEFAULT_USES = "S1, GIC"


class RetainedStep(StepController):
    KEY = "retained"
    ALG_ID = CARVE_ID
    FORM = "retained_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        f.excludeLayer.setFilters(LAYER_FILTERS["boundary"])
        f.excludeLayer.setAllowEmptyLayer(True)
        f.excludeLayer.setLayer(None)
        f.excludeLayer.layerChanged.connect(
            lambda layer: self.set_option("retained_exclude_layer", layer.id() if layer is not None else "")
        )
        f.excludeControlsCheck.toggled.connect(
            lambda on: self.set_option("retained_exclude_controls", bool(on))
        )
        f.excludeUses.editingFinished.connect(
            lambda: self.set_option("retained_exclude_uses", self.uses_text())
        )
        f.preferHoldingsCheck.toggled.connect(
            lambda on: self.set_option("retained_prefer_holdings", bool(on))
        )
        f.roadsCheck.toggled.connect(lambda on: self.set_option("retained_roads", bool(on)))
        f.minWidth.setClearValue(20.0)
        f.minWidth.valueChanged.connect(lambda v: self.set_option("retained_min_width", repr(float(v))))
        f.areaTolerance.setClearValue(0.01)
        f.areaTolerance.valueChanged.connect(lambda v: self.set_option("retained_tolerance", repr(float(v))))
        self.table = SearchableTable(
            f.resultTable,
            f.searchEdit,
            [
                Column("community", self.tr("Community")),
                Column("target_area", self.tr("Quota (m²)"), "area"),
                Column("area", self.tr("Area (m²)"), "area"),
                Column("deviation", self.tr("Deviation (m²)"), "dec4"),
                Column("compactness", self.tr("Compactness"), "dec3"),
                Column("min_width", self.tr("Min. width (m)"), "dec2"),
                Column("frontage", self.tr("Frontage (m)"), "dec2"),
                Column("distance_to_holdings", self.tr("To holdings (m)"), "dec2"),
                Column("note", self.tr("Note")),
            ],
        )
        f.resultTable.clicked.connect(self.on_row_clicked)

    def title(self) -> str:
        return self.tr("Retained land")

    def restore(self) -> None:
        f = self.form
        self._restoring = True
        try:
            layer_id = self.setup.option("retained_exclude_layer")
            f.excludeLayer.setLayer(self.project.mapLayer(layer_id) if layer_id else None)
            f.excludeControlsCheck.setChecked(self.bool_option("retained_exclude_controls", True))
            f.excludeUses.setText(self.setup.options.get("retained_exclude_uses", DEFAULT_USES))
            f.preferHoldingsCheck.setChecked(self.bool_option("retained_prefer_holdings", True))
            f.roadsCheck.setChecked(self.bool_option("retained_roads", True))
            f.minWidth.setValue(self.float_option("retained_min_width", 20.0))
            f.areaTolerance.setValue(self.float_option("retained_tolerance", 0.01))
        finally:
            self._restoring = False
        self.show_results()

    # -- land to keep clear of ---------------------------------------------------------------------
    def control_parameters(self) -> dict:
        """``CONTROLS``, ``KIND_FIELD`` and ``REGISTRY`` of the carving: the control layer as it is, its
        kind field and the officer's registry file (step Conflicts), or all None when there is no
        control layer or 'Keep clear of blocking control lines' is unticked.

        The algorithm decides from the registry which zones to keep clear of, to lie inside and to
        keep clear of when the quotas fit (:func:`landcoord.allocation.controls.exclusion_zones`); the
        dock only checks first that every kind is in the registry, to name the step that fixes it.
        """
        none = {"CONTROLS": None, "KIND_FIELD": None, "REGISTRY": None}
        controls = optional_layer(self.project, self.setup, "controls")
        if controls is None or not self.bool_option("retained_exclude_controls", True):
            return none
        kind_field = require_field(controls, self.setup, "kind")
        try:
            from ..allocation.controls import load_registry
        except ImportError as exc:
            raise SetupError(
                self.tr(
                    "The control-line registry is not available in this landcoord version: untick "
                    "'Keep clear of blocking control lines' and add the zones to exclude as a layer."
                )
            ) from exc
        registry_file = self.setup.option("conflicts_registry") or None
        registry = load_registry(registry_file)
        idx = controls.fields().indexFromName(kind_field)
        values = [v for v in controls.uniqueValues(idx) if v is not None and str(v) != "NULL"]
        unknown = [str(v) for v in values if registry.lookup(v) is None]
        if unknown:
            raise SetupError(
                self.tr(
                    "Layer '{layer}': kinds {values} in field '{field}' are not in the control-line "
                    "registry. Add them as aliases in your own registry (step Conflicts) first."
                ).format(layer=controls.name(), values=", ".join(sorted(unknown)), field=kind_field)
            )
        return {"CONTROLS": controls.id(), "KIND_FIELD": kind_field, "REGISTRY": registry_file}

    def uses_text(self) -> str:
        return ", ".join(self.uses_from(self.form.excludeUses.text()))

    @staticmethod
    def uses_from(text: str) -> list[str]:
        return [u.strip() for u in text.replace("，", ",").replace(";", ",").split(",") if u.strip()]

    def planned_uses(self):
        """The zoning land the officer keeps clear of (e.g. S1 roads, GIC), as an in-memory layer."""
        uses = self.uses_from(self.setup.options.get("retained_exclude_uses", DEFAULT_USES))
        if not uses:
            return None
        zoning = optional_layer(self.project, self.setup, "zoning")
        if zoning is None:
            raise SetupError(
                self.tr("Choose the zoning layer on the Project step, or empty 'Keep clear of planned uses'.")
            )
        field = require_field(zoning, self.setup, "land_use")
        expression = " OR ".join(QgsExpression.createFieldEqualityExpression(field, u) for u in uses)
        layer = zoning.materialize(QgsFeatureRequest().setFilterExpression(expression))
        layer.setName(f"{zoning.name()} ({', '.join(uses)})")
        return layer if layer.featureCount() else None

    def quota_layer(self):
        quotas = self.dock.results.layer(self.setup, "quota.OUTPUT")
        if quotas is None:
            raise SetupError(self.tr("Compute the quota first (step Quota and scenarios)."))
        return quotas

    def carve_parameters(self, boundary_param, project_field, exclude: list, for_dialog: bool) -> dict:
        quotas = self.quota_layer()
        holdings = optional_layer(self.project, self.setup, "holdings")
        prefer = self.bool_option("retained_prefer_holdings", True) and holdings is not None
        prefer_field = optional_field(holdings, self.setup, "holdings_community") if prefer else ""
        if prefer and not prefer_field:
            raise SetupError(
                self.tr(
                    "Choose the community field of the holdings on the Project step, "
                    "or untick 'Carve next to …'."
                )
            )
        roads = (
            optional_layer(self.project, self.setup, "roads")
            if self.bool_option("retained_roads", True)
            else None
        )
        extra_id = self.setup.option("retained_exclude_layer")
        extra = self.project.mapLayer(extra_id) if extra_id else None
        if isinstance(extra, QgsVectorLayer):
            exclude = [*exclude, extra.id()]
        params = {
            "BOUNDARY": boundary_param,
            "PROJECT_FIELD": project_field or None,
            "QUOTAS": quotas.id(),
            "EXCLUDE": exclude,
            **self.control_parameters(),
            "PREFER": holdings.id() if prefer else None,
            "PREFER_FIELD": prefer_field or None,
            "ROADS": roads.id() if roads is not None else None,
            "MIN_WIDTH": self.float_option("retained_min_width", 20.0),
            "TOLERANCE": self.float_option("retained_tolerance", 0.01),
            "MEASURE_CRS": self.setup.option("measure_crs") or None,
        }
        if not for_dialog:
            params["OUTPUT"] = self.output_path("retained")
        return params

    def parameters(self, for_dialog: bool = False):
        self.quota_layer()
        boundary = require_layer(self.project, self.setup, "boundary")
        project_field = optional_field(boundary, self.setup, "project_id")
        boundary_param, keep = self.filtered_boundary(boundary, project_field, for_dialog)
        exclude = []
        if not for_dialog:
            planned = self.planned_uses()
            if planned is not None:
                exclude.append(planned)
                keep.append(planned)
        params = self.carve_parameters(boundary_param, project_field, exclude, for_dialog)
        return params, keep, crs_notes(boundary, optional_layer(self.project, self.setup, "controls"))

    # -- results -----------------------------------------------------------------------------------
    def layer(self):
        return self.dock.results.layer(self.setup, f"{self.KEY}.OUTPUT")

    def load_results(self, result) -> str:
        _layer, files = self.dock.results.add(
            self.setup,
            f"{self.KEY}.OUTPUT",
            result.outputs["OUTPUT"],
            self.tr("Retained land by community"),
            style_by_community,
            position=0,
        )
        self.cleanup_replaced(files)
        return self.show_results()

    def show_results(self) -> str:
        layer = self.layer()
        records = layer_records(layer, with_fid=True)
        self.table.set_records(records, sort_key="community", descending=False)
        if layer is None:
            self.form.totalsLabel.setText("")
            return ""
        total = sum(r.get("area") or 0.0 for r in records)
        worst = max((abs(r.get("deviation") or 0.0) for r in records), default=0.0)
        text = self.tr("{n} parcels, {area} m² in all; largest deviation from a quota {dev} m².").format(
            n=len(records), area=f"{total:,.2f}", dev=f"{worst:.4f}"
        )
        self.form.totalsLabel.setText(text)
        return text

    @guarded
    def on_row_clicked(self, index) -> None:
        record = self.table.record_at(index)
        if record is not None:
            self.zoom_to(self.layer(), fids=[record["_fid"]])
