"""The Affected area step: ``landcoord:affectedarea`` on the project's boundary and cadastre."""

from __future__ import annotations

from qgis.core import QgsExpression

from .checks import crs_notes, optional_field, require_field, require_layer
from .guard import guarded
from .results import style_by_holder, style_fill
from .step import StepController
from .tables import Column, SearchableTable, layer_records

__all__ = ["AffectedStep"]


class AffectedStep(StepController):
    KEY = "affected"
    ALG_ID = "landcoord:affectedarea"
    FORM = "affected_step.ui"

    #: output key -> (file name, layer title (translated in titles()), style)
    OUTPUTS = ("OUTPUT", "SUMMARY", "STATUS_SUMMARY", "GAPS", "OVERLAPS")

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        f.areaMethod.addItem(self.tr("Planar, on the projection plane (legal area)"), 0)
        f.areaMethod.addItem(self.tr("Ellipsoidal"), 1)
        f.areaMethod.currentIndexChanged.connect(self.on_area_method)
        self.table = SearchableTable(
            f.resultTable,
            f.searchEdit,
            [
                Column("project", self.tr("Project")),
                Column("holder", self.tr("Rights-holder")),
                Column("parcels", self.tr("Parcels"), "int"),
                Column("affected_area", self.tr("Affected area (m²)"), "area"),
                Column("project_share", self.tr("Share of project"), "share"),
            ],
            missing=self.tr("(no rights-holder)"),
        )
        f.resultTable.clicked.connect(self.on_row_clicked)

    def title(self) -> str:
        return self.tr("Affected area")

    def titles(self) -> dict[str, str]:
        return {
            "OUTPUT": self.tr("Affected pieces by rights-holder"),
            "SUMMARY": self.tr("Affected area by rights-holder"),
            "STATUS_SUMMARY": self.tr("Affected area by rights-holder and status"),
            "GAPS": self.tr("Gaps (land no parcel covers)"),
            "OVERLAPS": self.tr("Overlaps (land claimed twice)"),
        }

    @guarded
    def on_area_method(self, index: int) -> None:
        self.set_option("area_method", self.form.areaMethod.itemData(index))

    def parameters(self, for_dialog: bool = False):
        boundary = require_layer(self.project, self.setup, "boundary")
        cadastre = require_layer(self.project, self.setup, "cadastre")
        project_field = optional_field(boundary, self.setup, "project_id")
        parcel_field = require_field(cadastre, self.setup, "parcel_id")
        holder_field = require_field(cadastre, self.setup, "holder")
        status_field = optional_field(cadastre, self.setup, "status")
        boundary_param, keep = self.filtered_boundary(boundary, project_field, for_dialog)
        params = {
            "BOUNDARY": boundary_param,
            "PROJECT_FIELD": project_field or None,
            "CADASTRE": cadastre.id(),
            "PARCEL_FIELD": parcel_field,
            "HOLDER_FIELD": holder_field,
            "STATUS_FIELD": status_field or None,
            "AREA_METHOD": int(self.setup.option("area_method", "0")),
            "MEASURE_CRS": self.setup.option("measure_crs") or None,
        }
        if not for_dialog:
            names = {
                "OUTPUT": "pieces",
                "SUMMARY": "summary",
                "STATUS_SUMMARY": "status_summary",
                "GAPS": "gaps",
                "OVERLAPS": "overlaps",
            }
            params.update({key: self.output_path(name) for key, name in names.items()})
        return params, keep, crs_notes(cadastre, boundary)

    def load_results(self, result) -> str:
        styles = {
            "OUTPUT": style_by_holder,
            "GAPS": style_fill("#e53935", 0.9),
            "OVERLAPS": style_fill("#8e24aa", 0.9),
        }
        titles = self.titles()
        replaced = []
        # overlaps and gaps above the pieces, tables last
        for position, key in enumerate(("OVERLAPS", "GAPS", "OUTPUT", "SUMMARY", "STATUS_SUMMARY")):
            uri = result.outputs.get(key)
            if not uri:
                continue
            _layer, files = self.dock.results.add(
                self.setup, f"{self.KEY}.{key}", uri, titles[key], styles.get(key), position=position
            )
            replaced.extend(files)
        self.cleanup_replaced(replaced)
        return self.show_results()

    def layer(self, key: str):
        return self.dock.results.layer(self.setup, f"{self.KEY}.{key}")

    def show_results(self) -> str:
        summary = self.layer("SUMMARY")
        records = layer_records(summary, ["project", "holder", "parcels", "affected_area", "project_share"])
        self.table.set_records(records, sort_key="affected_area")
        if summary is None:
            self.form.totalsLabel.setText("")
            return ""
        total = sum(r["affected_area"] or 0.0 for r in records)
        # distinct rights-holders, and the project x holder rows they come from (a holder with land in
        # two projects is one holder in two rows)
        holders = len({r["holder"] for r in records if r["holder"] is not None})
        gaps = sum(r["gap_area"] or 0.0 for r in layer_records(self.layer("GAPS"), ["gap_area"]))
        overlaps = sum(
            r["overlap_area"] or 0.0 for r in layer_records(self.layer("OVERLAPS"), ["overlap_area"])
        )
        text = self.tr(
            "{holders} rights-holders ({rows} project × holder rows), {area} m² affected; "
            "gaps {gaps} m², overlaps {overlaps} m²."
        ).format(
            holders=holders,
            rows=len(records),
            area=f"{total:,.2f}",
            gaps=f"{gaps:,.2f}",
            overlaps=f"{overlaps:,.2f}",
        )
        self.form.totalsLabel.setText(text)
        return text

    def restore(self) -> None:
        self._restoring = True
        try:
            index = self.form.areaMethod.findData(int(self.setup.option("area_method", "0")))
            self.form.areaMethod.setCurrentIndex(max(index, 0))
        finally:
            self._restoring = False
        self.show_results()

    @guarded
    def on_row_clicked(self, index) -> None:
        self.select_holder(self.table.record_at(index))

    def select_holder(self, record: dict | None) -> int:
        """Select and zoom to the pieces of the holder in ``record`` (a row of the table)."""
        pieces = self.layer("OUTPUT")
        if record is None or pieces is None:
            return 0
        holder = record.get("holder")
        if holder is None:
            expression = '"holder" IS NULL'
        else:
            expression = QgsExpression.createFieldEqualityExpression("holder", holder)
        if record.get("project") is not None:
            expression += " AND " + QgsExpression.createFieldEqualityExpression("project", record["project"])
        return self.zoom_to(pieces, expression)
