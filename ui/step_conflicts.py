"""The Conflicts step: ``landcoord:planconflicts`` of a proposal against the control lines."""

from __future__ import annotations

from qgis.core import QgsVectorLayer
from qgis.gui import QgsFileWidget

from .checks import LAYER_FILTERS, crs_notes, optional_field, require_field, require_layer
from .guard import SetupError, guarded
from .results import severity_label, style_by_severity
from .step import StepController
from .tables import Column, SearchableTable, layer_records

__all__ = ["ConflictsStep"]

SOURCES = ("boundary", "retained", "layer")


class ConflictsStep(StepController):
    KEY = "conflicts"
    ALG_ID = "landcoord:planconflicts"
    FORM = "conflicts_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        f.proposalSource.addItem(self.tr("The project boundary"), "boundary")
        f.proposalSource.addItem(self.tr("The carved retained land"), "retained")
        f.proposalSource.addItem(self.tr("Another layer"), "layer")
        f.proposalSource.currentIndexChanged.connect(self.on_source_changed)
        f.proposalLayer.setFilters(LAYER_FILTERS["boundary"])
        f.proposalLayer.setAllowEmptyLayer(True)
        f.proposalLayer.setLayer(None)
        f.proposalLayer.layerChanged.connect(self.on_proposal_layer)
        f.proposalIdField.setAllowEmptyFieldName(True)
        f.proposalIdField.fieldChanged.connect(lambda name: self.set_option("conflicts_id_field", name))
        f.tolerance.setClearValue(1.0)
        f.tolerance.valueChanged.connect(lambda v: self.set_option("conflicts_tolerance", repr(float(v))))
        f.registryFile.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        f.registryFile.setFilter(self.tr("Control-line registries (*.toml)"))
        f.registryFile.fileChanged.connect(lambda path: self.set_option("conflicts_registry", path))
        self.table = SearchableTable(
            f.resultTable,
            f.searchEdit,
            [
                Column("input_id", self.tr("Proposal")),
                Column("kind", self.tr("Control line")),
                Column("severity_label", self.tr("Severity")),
                Column("conflict_area", self.tr("Area (m²)"), "area"),
                Column("input_share", self.tr("Share"), "share"),
                Column("rule", self.tr("Rule")),
                Column("source", self.tr("Source")),
            ],
        )
        f.resultTable.clicked.connect(self.on_row_clicked)

    def title(self) -> str:
        return self.tr("Conflicts")

    # -- options -----------------------------------------------------------------------------------
    def source(self) -> str:
        value = self.setup.option("conflicts_source", "boundary")
        return value if value in SOURCES else "boundary"

    @guarded
    def on_source_changed(self, index: int) -> None:
        self.set_option("conflicts_source", self.form.proposalSource.itemData(index))
        self.show_source_widgets()

    @guarded
    def on_proposal_layer(self, layer) -> None:
        self.form.proposalIdField.setLayer(layer)
        self.set_option("conflicts_layer", layer.id() if layer is not None else "")

    def show_source_widgets(self) -> None:
        other = self.source() == "layer"
        for name in ("proposalLayer", "proposalLayerLabel", "proposalIdField", "proposalIdFieldLabel"):
            getattr(self.form, name).setVisible(other)

    def restore(self) -> None:
        f = self.form
        self._restoring = True
        try:
            f.proposalSource.setCurrentIndex(max(f.proposalSource.findData(self.source()), 0))
            layer_id = self.setup.option("conflicts_layer")
            layer = self.project.mapLayer(layer_id) if layer_id else None
            f.proposalLayer.setLayer(layer)
            f.proposalIdField.setLayer(layer)
            f.proposalIdField.setField(self.setup.option("conflicts_id_field"))
            f.tolerance.setValue(self.float_option("conflicts_tolerance", 1.0))
            f.registryFile.setFilePath(self.setup.option("conflicts_registry"))
        finally:
            self._restoring = False
        self.show_source_widgets()
        self.show_results()

    # -- parameters --------------------------------------------------------------------------------
    def proposal(self, for_dialog: bool):
        """``(input parameter, id field, layer, keep)`` of the chosen proposal."""
        source = self.source()
        if source == "boundary":
            boundary = require_layer(self.project, self.setup, "boundary")
            id_field = optional_field(boundary, self.setup, "project_id")
            param, keep = self.filtered_boundary(boundary, id_field, for_dialog)
            return param, id_field, boundary, keep
        if source == "retained":
            layer = self.dock.results.layer(self.setup, "retained.OUTPUT")
            if layer is None:
                raise SetupError(
                    self.tr("Carve the retained land first (step Retained land), or check another layer.")
                )
            id_field = "community" if layer.fields().indexFromName("community") >= 0 else ""
            return layer.id(), id_field, layer, []
        layer_id = self.setup.option("conflicts_layer")
        layer = self.project.mapLayer(layer_id) if layer_id else None
        if not isinstance(layer, QgsVectorLayer):
            raise SetupError(self.tr("Choose the layer to check."))
        id_field = self.setup.option("conflicts_id_field")
        if id_field and layer.fields().indexFromName(id_field) < 0:
            raise SetupError(
                self.tr("Layer '{layer}' has no field '{field}': choose the id field again.").format(
                    layer=layer.name(), field=id_field
                )
            )
        return layer.id(), id_field, layer, []

    def parameters(self, for_dialog: bool = False):
        controls = require_layer(self.project, self.setup, "controls")
        kind_field = require_field(controls, self.setup, "kind")
        param, id_field, layer, keep = self.proposal(for_dialog)
        params = {
            "INPUT": param,
            "INPUT_ID_FIELD": id_field or None,
            "CONTROLS": controls.id(),
            "KIND_FIELD": kind_field,
            "REGISTRY": self.setup.option("conflicts_registry") or None,
            "TOLERANCE": self.float_option("conflicts_tolerance", 1.0),
            "MEASURE_CRS": self.setup.option("measure_crs") or None,
        }
        if not for_dialog:
            params["OUTPUT"] = self.output_path("conflicts")
            params["SUMMARY"] = self.output_path("verdicts")
        return params, keep, crs_notes(layer, controls)

    # -- results -----------------------------------------------------------------------------------
    def layer(self, key: str):
        return self.dock.results.layer(self.setup, f"{self.KEY}.{key}")

    def load_results(self, result) -> str:
        replaced = []
        titles = {"OUTPUT": self.tr("One-map conflicts"), "SUMMARY": self.tr("Conflict verdicts")}
        for position, key in enumerate(("OUTPUT", "SUMMARY")):
            uri = result.outputs.get(key)
            if not uri:
                continue
            style = style_by_severity if key == "OUTPUT" else None
            _layer, files = self.dock.results.add(
                self.setup, f"{self.KEY}.{key}", uri, titles[key], style, position=position
            )
            replaced.extend(files)
        self.cleanup_replaced(replaced)
        return self.show_results()

    def show_results(self) -> str:
        conflicts = self.layer("OUTPUT")
        keys = [
            "input_id",
            "kind",
            "severity",
            "conflict_area",
            "input_share",
            "rule",
            "source",
            "adjustment",
        ]
        records = layer_records(conflicts, keys, with_fid=True)
        for rec in records:
            rec["severity_label"] = severity_label(rec.get("severity") or "")
        self.table.set_records(records, sort_key="conflict_area")
        verdicts = layer_records(self.layer("SUMMARY"))
        if conflicts is None:
            self.form.totalsLabel.setText("")
            return ""
        labels = {"blocked": self.tr("blocked"), "review": self.tr("to review"), "clear": self.tr("clear")}
        lines = []
        for v in verdicts:
            lines.append(
                self.tr("{id}: {verdict} (blocking {b} m², review {r} m², advisory {a} m²)").format(
                    id=v.get("input_id"),
                    verdict=labels.get(v.get("verdict"), v.get("verdict")),
                    b=f"{v.get('blocking_area') or 0:,.2f}",
                    r=f"{v.get('review_area') or 0:,.2f}",
                    a=f"{v.get('advisory_area') or 0:,.2f}",
                )
            )
        text = self.tr("{n} conflicts.").format(n=len(records))
        self.form.totalsLabel.setText("<br>".join([text, *lines]))
        return " ".join([text, *lines])

    @guarded
    def on_row_clicked(self, index) -> None:
        self.show_conflict(self.table.record_at(index))

    def show_conflict(self, record: dict | None) -> int:
        """Zoom to the conflict in ``record`` and show its rule and source."""
        if record is None:
            return 0
        parts = [
            self.tr("<b>{kind}</b> — {severity}, {area} m²").format(
                kind=_html(record.get("kind")),
                severity=_html(record.get("severity_label")),
                area=f"{record.get('conflict_area') or 0:,.2f}",
            ),
            _html(self.tr("Rule: {rule}").format(rule=record.get("rule") or "—")),
            _html(self.tr("Source: {source}").format(source=record.get("source") or "—")),
        ]
        if record.get("adjustment"):
            parts.append(_html(self.tr("Adjustment: {text}").format(text=record["adjustment"])))
        self.form.detailLabel.setText("<br>".join(parts))
        return self.zoom_to(self.layer("OUTPUT"), fids=[record["_fid"]])


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
