"""The Project step: which layers and fields make up the consolidation project."""

from __future__ import annotations

from qgis.core import QgsCoordinateReferenceSystem, QgsFieldProxyModel, QgsMapLayerProxyModel, QgsVectorLayer
from qgis.gui import QgsFileWidget, QgsProjectionSelectionWidget

from ..allocation.fieldnames import recognise_fields, recognise_layers
from .checks import LAYER_FILTERS, crs_notes, field_label, layer_label, optional_field, optional_layer
from .guard import SetupError, guarded
from .state import LAYER_ROLES
from .step import StepController

__all__ = ["ProjectStep"]

#: layer role -> the form's combo box
LAYER_WIDGETS = {
    "boundary": "boundaryLayer",
    "cadastre": "cadastreLayer",
    "buildings": "buildingsLayer",
    "controls": "controlsLayer",
    "zoning": "zoningLayer",
    "holdings": "holdingsLayer",
    "roads": "roadsLayer",
}

#: field role -> (layer role, the form's field combo box, role for the recogniser, required)
FIELD_WIDGETS = {
    "project_id": ("boundary", "projectIdField", "project_id", False),
    "project_name": ("boundary", "projectNameField", "project_name", False),
    "parcel_id": ("cadastre", "parcelField", "parcel_id", True),
    "holder": ("cadastre", "holderField", "holder", True),
    "holder_type": ("cadastre", "holderTypeField", "holder_type", False),
    "status": ("cadastre", "statusField", "status", False),
    "community": ("cadastre", "communityField", "community", False),
    "kind": ("controls", "kindField", "kind", True),
    "zone_name": ("controls", "controlNameField", "zone_name", False),
    "land_use": ("zoning", "landUseField", "land_use", False),
    "floor_area": ("buildings", "floorAreaField", "floor_area", False),
    "building_status": ("buildings", "buildingStatusField", "building_status", False),
    "holdings_community": ("holdings", "holdingsCommunityField", "community", False),
}

NUMERIC_FIELDS = {"floor_area"}


class ProjectStep(StepController):
    KEY = "project"
    FORM = "project_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        for role, name in LAYER_WIDGETS.items():
            combo = getattr(f, name)
            combo.setFilters(LAYER_FILTERS[role])
            combo.setAllowEmptyLayer(True)
            combo.setLayer(None)
            combo.layerChanged.connect(lambda layer, role=role: self.on_layer_changed(role, layer))
        for role, (_layer_role, name, _rec, _required) in FIELD_WIDGETS.items():
            combo = getattr(f, name)
            combo.setAllowEmptyFieldName(True)
            if role in NUMERIC_FIELDS:
                combo.setFilters(QgsFieldProxyModel.Filter.Numeric)
            combo.fieldChanged.connect(lambda name, role=role: self.on_field_changed(role, name))
        f.projectValue.currentIndexChanged.connect(self.on_project_value_changed)
        f.outputDir.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        f.outputDir.setDialogTitle(self.tr("Folder for the results of this consolidation project"))
        f.outputDir.fileChanged.connect(self.on_output_dir_changed)
        # the run's one measuring CRS (issue 19): not set = the rule of crs.project_measurement_crs
        f.measureCrs.setOptionVisible(QgsProjectionSelectionWidget.CrsOption.CrsNotSet, True)
        f.measureCrs.setNotSetText(self.tr("Chosen from the data (boundary, cadastre, national projection)"))
        f.measureCrs.crsChanged.connect(self.on_measure_crs_changed)
        f.recogniseButton.clicked.connect(self.recognise)
        self.page.setToolTip("")

    def title(self) -> str:
        return self.tr("Project")

    # -- restore -----------------------------------------------------------------------------------
    def restore(self) -> None:
        setup = self.setup
        self._restoring = True
        try:
            for role, name in LAYER_WIDGETS.items():
                layer = self.project.mapLayer(setup.layer_id(role)) if setup.layer_id(role) else None
                getattr(self.form, name).setLayer(layer)
            for role, (layer_role, name, _rec, _req) in FIELD_WIDGETS.items():
                combo = getattr(self.form, name)
                combo.setLayer(self.form_layer(layer_role))
                combo.setField(setup.field(role))
            self.fill_project_values()
            self.form.outputDir.setFilePath(setup.option("output_dir"))
            chosen = setup.option("measure_crs")
            self.form.measureCrs.setCrs(
                QgsCoordinateReferenceSystem(chosen) if chosen else QgsCoordinateReferenceSystem()
            )
        finally:
            self._restoring = False
        self.update_checks()

    def form_layer(self, role: str):
        return getattr(self.form, LAYER_WIDGETS[role]).currentLayer()

    def fill_project_values(self) -> None:
        combo = self.form.projectValue
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(self.tr("(all projects of the layer)"), "")
            layer = self.form_layer("boundary")
            field = self.setup.field("project_id")
            if isinstance(layer, QgsVectorLayer) and field:
                idx = layer.fields().indexFromName(field)
                if idx >= 0:
                    values = sorted(
                        {str(v) for v in layer.uniqueValues(idx) if v is not None and str(v) != "NULL"}
                    )
                    for value in values:
                        combo.addItem(value, value)
            wanted = self.setup.option("project_value")
            index = combo.findData(wanted)
            if wanted and index < 0:
                combo.addItem(self.tr("{value} (not in the layer)").format(value=wanted), wanted)
                index = combo.count() - 1
            combo.setCurrentIndex(max(index, 0))
        finally:
            combo.blockSignals(False)

    # -- changes -----------------------------------------------------------------------------------
    @guarded
    def on_layer_changed(self, role: str, layer) -> None:
        if self._restoring:
            return
        self.setup.layers[role] = layer.id() if layer is not None else ""
        for field_role, (layer_role, name, _rec, _req) in FIELD_WIDGETS.items():
            if layer_role != role:
                continue
            combo = getattr(self.form, name)
            self._restoring = True
            try:
                combo.setLayer(layer)
                current = self.setup.field(field_role)
                names = [f.name() for f in layer.fields()] if isinstance(layer, QgsVectorLayer) else []
                if current not in names:
                    current = self.recognised_fields(layer_role, layer).get(field_role, "")
                combo.setField(current)
            finally:
                self._restoring = False
            self.setup.fields[field_role] = combo.currentField()
        if role == "boundary":
            self.setup.options["project_value"] = ""
            self.fill_project_values()
        self.dock.save_setup()
        self.update_checks()

    @guarded
    def on_field_changed(self, role: str, name: str) -> None:
        if self._restoring:
            return
        self.setup.fields[role] = name or ""
        if role == "project_id":
            self.setup.options["project_value"] = ""
            self.fill_project_values()
        self.dock.save_setup()
        self.update_checks()

    @guarded
    def on_project_value_changed(self, index: int) -> None:
        if self._restoring:
            return
        self.set_option("project_value", self.form.projectValue.itemData(index) or "")
        self.update_checks()

    @guarded
    def on_measure_crs_changed(self, crs) -> None:
        """The measuring CRS chosen (saved in the project); the analysis steps pass it on."""
        if self._restoring:
            return
        self.set_option("measure_crs", crs.authid() or crs.toWkt() if crs.isValid() else "")

    def on_output_dir_changed(self, path: str) -> None:
        self.set_option("output_dir", path)
        self.update_checks()

    # -- recognition -------------------------------------------------------------------------------
    def recognised_fields(self, layer_role: str, layer) -> dict[str, str]:
        if not isinstance(layer, QgsVectorLayer):
            return {}
        roles = {fr: rec for fr, (lr, _n, rec, _q) in FIELD_WIDGETS.items() if lr == layer_role}
        numeric = {f.name() for f in layer.fields() if f.isNumeric()}
        names = [f.name() for f in layer.fields()]
        found = recognise_fields(list(dict.fromkeys(roles.values())), names)
        out = {}
        for field_role, rec in roles.items():
            hit = found.get(rec, "")
            if field_role in NUMERIC_FIELDS and hit not in numeric:
                hit = ""
            out[field_role] = hit
        return out

    @guarded
    def recognise(self) -> None:
        """Choose layers (by name and geometry) and fields (by name) for every role."""
        self.recognise_into(self.setup)
        self.dock.save_setup()
        self.restore()

    def recognise_into(self, setup) -> None:
        layers = [lyr for lyr in self.project.mapLayers().values() if isinstance(lyr, QgsVectorLayer)]
        candidates = {}
        for role in LAYER_ROLES:
            model = QgsMapLayerProxyModel()
            model.setFilters(LAYER_FILTERS[role])
            accepted = [lyr for lyr in layers if model.acceptsLayer(lyr)]
            candidates[role] = [lyr.name() for lyr in accepted]
        by_name = {}
        for lyr in layers:
            by_name.setdefault(lyr.name(), lyr)
        found = recognise_layers(candidates)
        setup.layers = {role: by_name[name].id() for role, name in found.items()}
        setup.fields = {}
        for role in LAYER_ROLES:
            layer = by_name.get(found.get(role, ""))
            for field_role, name in self.recognised_fields(role, layer).items():
                if name:
                    setup.fields[field_role] = name
        setup.options.pop("project_value", None)

    # -- checks ------------------------------------------------------------------------------------
    def problems(self) -> tuple[list[str], list[str]]:
        """``(problems, notes)`` of the current set-up, as shown under the form."""
        problems, notes = [], []
        layers = {}
        for role in LAYER_ROLES:
            try:
                layers[role] = optional_layer(self.project, self.setup, role)
            except SetupError as exc:
                problems.append(str(exc))
                layers[role] = None
        for role in ("boundary", "cadastre"):
            if layers.get(role) is None and self.setup.layer_id(role) == "":
                problems.append(self.tr("No layer chosen for the {what}.").format(what=layer_label(role)))
        for field_role, (layer_role, _n, _rec, required) in FIELD_WIDGETS.items():
            layer = layers.get(layer_role)
            if layer is None:
                continue
            try:
                name = optional_field(layer, self.setup, field_role)
            except SetupError as exc:
                problems.append(str(exc))
                continue
            if required and not name:
                problems.append(
                    self.tr("Layer '{layer}': choose the {what} field.").format(
                        layer=layer.name(), what=field_label(field_role)
                    )
                )
        cadastre = layers.get("cadastre")
        if cadastre is not None:
            notes.extend(crs_notes(cadastre, *(layers[r] for r in LAYER_ROLES if r != "cadastre")))
        notes.append(self.tr("Results are written to {folder}.").format(folder=self.dock.output_folder()))
        return problems, notes

    def update_checks(self) -> None:
        try:
            problems, notes = self.problems()
        except Exception as exc:  # noqa: BLE001 - a check must never break the form
            problems, notes = [str(exc)], []
        parts = []
        if problems:
            parts.append("<p style='color:#b71c1c'>" + "<br>".join(_html(p) for p in problems) + "</p>")
        else:
            parts.append("<p style='color:#1b5e20'>" + _html(self.tr("The set-up is complete.")) + "</p>")
        if notes:
            parts.append("<p>" + "<br>".join(_html(n) for n in notes) + "</p>")
        self.form.checksLabel.setText("".join(parts))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
