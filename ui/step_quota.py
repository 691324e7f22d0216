"""The Quota and scenarios step: ``landcoord:retainedquota`` then ``landcoord:benefitscenarios``.

The pieces of the Affected area step carry no community; when the cadastre has a community field,
the step first joins it to the pieces by parcel id (``native:joinattributestable``), so the quota is
per community.

With a scenarios file that has [scenario.finance], the scenarios run also writes every table to one
GeoPackage (``FINANCE_TABLES``, as ``landcoord benefits --out`` does); the step keeps its path with
the set-up (``quota_finance``) and the Hearing step prints the finance tables from it unless the
officer chose another file.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsVectorLayer
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import QScrollArea

from .checks import optional_field, optional_layer, require_field, require_layer
from .guard import SetupError, guarded
from .panels import ImageLabel, TablePanel
from .step import StepController
from .tables import Column, layer_records

__all__ = ["QuotaStep"]

QUOTA_ID = "landcoord:retainedquota"
SCENARIOS_ID = "landcoord:benefitscenarios"
JOIN_ID = "native:joinattributestable"


class QuotaStep(StepController):
    KEY = "quota"
    ALG_ID = QUOTA_ID
    FORM = "quota_step.ui"

    def __init__(self, dock):
        super().__init__(dock)
        f = self.form
        for widget, option, filt in (
            (f.rulesFile, "quota_rules", self.tr("Rule sets (*.toml)")),
            (f.statusMapFile, "quota_status_map", self.tr("Status maps (*.csv *.xlsx *.toml)")),
            (f.scenariosFile, "quota_scenarios", self.tr("Scenarios (*.toml)")),
        ):
            widget.setStorageMode(QgsFileWidget.StorageMode.GetFile)
            widget.setFilter(filt)
            widget.fileChanged.connect(lambda path, option=option: self.set_option(option, path))
        f.rulesFile.lineEdit().setPlaceholderText(self.tr("(the shipped Shenzhen rule set)"))
        f.statusMapFile.lineEdit().setPlaceholderText(self.tr("(the default status categories)"))
        f.officialCheck.toggled.connect(lambda on: self.set_option("quota_official", bool(on)))
        f.scenariosButton.clicked.connect(self.run_scenarios)
        f.scenariosDialogButton.clicked.connect(self.open_scenarios_dialog)
        self.trail = TablePanel(
            [
                Column("project", self.tr("Project")),
                Column("community", self.tr("Community")),
                Column("item", self.tr("Item")),
                Column("quantity", self.tr("Quantity")),
                Column("value", self.tr("Value"), "number"),
                Column("unit", self.tr("Unit")),
                Column("verified_label", self.tr("Verified")),
                Column("rule", self.tr("Rule")),
                Column("source", self.tr("Source")),
                Column("note", self.tr("Note")),
            ]
        )
        self.parties = TablePanel(
            [
                Column("scenario", self.tr("Scenario")),
                Column("party_type", self.tr("Party type")),
                Column("party", self.tr("Party")),
                Column("land_area", self.tr("Land (m²)"), "area"),
                Column("floor_area", self.tr("Floor area (m²)"), "area"),
                Column("money", self.tr("Money (yuan)"), "area"),
                Column("swap_floor_area", self.tr("Swap floor area (m²)"), "area"),
                Column("verified_label", self.tr("Verified")),
            ]
        )
        self.chart = ImageLabel()
        scroll = QScrollArea()
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(True)
        f.resultTabs.addTab(self.trail, self.tr("Quota trail"))
        f.resultTabs.addTab(self.parties, self.tr("Scenarios by party"))
        f.resultTabs.addTab(scroll, self.tr("Chart"))
        self._scenarios_dialog = None

    def title(self) -> str:
        return self.tr("Quota and scenarios")

    def algorithms(self) -> list[str]:
        return [QUOTA_ID]

    def refresh(self) -> None:
        super().refresh()
        registry_ok = not self._missing([SCENARIOS_ID])
        busy = self.dock.runner.is_running()
        self.form.scenariosButton.setEnabled(registry_ok and not busy and self.is_available())
        self.form.scenariosDialogButton.setEnabled(registry_ok)
        if not registry_ok and self.is_available():
            self.form.noteLabel.setText(
                self.tr("Scenarios not available: {id} is not registered in this QGIS.").format(
                    id=SCENARIOS_ID
                )
            )
            self.form.noteLabel.setVisible(True)

    def _missing(self, ids):
        from qgis.core import QgsApplication

        return [a for a in ids if QgsApplication.processingRegistry().algorithmById(a) is None]

    def restore(self) -> None:
        f = self.form
        self._restoring = True
        try:
            f.rulesFile.setFilePath(self.setup.option("quota_rules"))
            f.statusMapFile.setFilePath(self.setup.option("quota_status_map"))
            f.scenariosFile.setFilePath(self.setup.option("quota_scenarios"))
            f.officialCheck.setChecked(self.bool_option("quota_official"))
        finally:
            self._restoring = False
        self.show_results()

    # -- parameters --------------------------------------------------------------------------------
    def layer(self, key: str):
        return self.dock.results.layer(self.setup, f"{self.KEY}.{key}")

    def pieces_layer(self) -> QgsVectorLayer:
        pieces = self.dock.results.layer(self.setup, "affected.OUTPUT")
        if pieces is None:
            raise SetupError(
                self.tr("Run the Affected area step first: the quota is computed from its pieces.")
            )
        return pieces

    def common(self) -> dict:
        buildings = optional_layer(self.project, self.setup, "buildings")
        floor = optional_field(buildings, self.setup, "floor_area") if buildings is not None else ""
        zoning = optional_layer(self.project, self.setup, "zoning")
        land_use = optional_field(zoning, self.setup, "land_use") if zoning is not None else ""
        return {
            "BUILDINGS": buildings.id() if buildings is not None and floor else None,
            "FLOOR_AREA_FIELD": floor or None,
            "ZONING": zoning.id() if zoning is not None and land_use else None,
            "ZONING_FIELD": land_use or None,
            "STATUS_MAP": self.setup.option("quota_status_map") or None,
            "OFFICIAL": self.bool_option("quota_official"),
        }

    def quota_parameters(self, pieces: str, community: str, for_dialog: bool) -> dict:
        params = {"INPUT": pieces, "COMMUNITY_FIELD": community or None, **self.common()}
        if self.setup.option("quota_rules"):
            params["RULES"] = self.setup.option("quota_rules")
        if not for_dialog:
            params["OUTPUT"] = self.output_path("quota_trail")
        return params

    def join_parameters(self, pieces: QgsVectorLayer) -> dict | None:
        """The join of the community to the pieces, or None when there is no community field."""
        cadastre = require_layer(self.project, self.setup, "cadastre")
        community = optional_field(cadastre, self.setup, "community")
        if not community:
            return None
        parcel = require_field(cadastre, self.setup, "parcel_id")
        if community in [f.name() for f in pieces.fields()]:
            return None
        return {
            "INPUT": pieces.id(),
            "FIELD": "parcel_id",
            "INPUT_2": cadastre.id(),
            "FIELD_2": parcel,
            "FIELDS_TO_COPY": [community],
            "METHOD": 1,  # the first matching parcel: parcel ids are unique
            "DISCARD_NONMATCHING": False,
            "PREFIX": "",
            "OUTPUT": self.output_path("pieces_with_community"),
        }

    def community_field(self) -> str:
        cadastre = optional_layer(self.project, self.setup, "cadastre")
        return optional_field(cadastre, self.setup, "community") if cadastre is not None else ""

    def parameters(self, for_dialog: bool = False):
        pieces = self.pieces_layer()
        joined = self.layer("PIECES")
        community = self.community_field()
        source = joined if (joined is not None and community) else pieces
        return self.quota_parameters(source.id(), community if source is joined else "", for_dialog), [], []

    @guarded
    def run(self) -> None:
        if not self.is_available():
            raise SetupError(self.availability_note())
        if self.dock.runner.is_running():
            raise SetupError(self.tr("Another landcoord task is still running; wait for it or cancel it."))
        pieces = self.pieces_layer()
        join = self.join_parameters(pieces)
        community = self.community_field() if join is not None else ""
        self.quota_parameters(pieces.id(), community, False)  # check the set-up before starting
        self.dock.save_setup()
        links = []
        if join is not None:
            links.append((JOIN_ID, lambda done: (join, [])))
            links.append(
                (QUOTA_ID, lambda done: (self.quota_parameters(done[0]["OUTPUT"], community, False), []))
            )
        else:
            links.append((QUOTA_ID, lambda done: (self.quota_parameters(pieces.id(), "", False), [])))
        self.run_chain(links, self.finished, self.title())

    def load_results(self, result) -> str:
        replaced = []
        if result.alg_id == QUOTA_ID:
            if result.chain:
                _l, files = self.dock.results.add(
                    self.setup,
                    f"{self.KEY}.PIECES",
                    result.chain[0]["OUTPUT"],
                    self.tr("Affected pieces with community"),
                    None,
                )
                replaced.extend(files)
                node = self.dock.results.group(self.setup).findLayer(_l.id())
                if node is not None:
                    node.setItemVisibilityChecked(False)
            _l, files = self.dock.results.add(
                self.setup,
                f"{self.KEY}.OUTPUT",
                result.outputs["OUTPUT"],
                self.tr("Retained-land quota trail"),
            )
            replaced.extend(files)
            self.setup.options["quota_summary"] = " ".join(result.infos[-3:] + result.warnings[-3:])[:2000]
        else:
            _l, files = self.dock.results.add(
                self.setup,
                f"{self.KEY}.SCENARIOS",
                result.outputs["OUTPUT"],
                self.tr("Benefit-sharing scenarios"),
            )
            replaced.extend(files)
            chart = result.outputs.get("CHART")
            if chart:
                self.setup.options["quota_chart"] = chart
            # the finance tables of this run, or none: the Hearing step never prints an older run's
            finance = result.outputs.get("FINANCE_TABLES") or ""
            previous = self.setup.option("quota_finance")
            if previous and previous != finance:
                replaced.append(previous)
            self.setup.options["quota_finance"] = finance
        self.cleanup_replaced(replaced)
        return self.show_results()

    def show_results(self) -> str:
        trail = layer_records(self.layer("OUTPUT"))
        for rec in trail:
            rec["verified_label"] = self.verified_label(rec.get("verified"))
        self.trail.table.set_records(trail)
        parties = layer_records(self.layer("SCENARIOS"))
        for rec in parties:
            rec["verified_label"] = self.verified_label(rec.get("verified"))
        self.parties.table.set_records(parties)
        chart = self.setup.option("quota_chart")
        if not self.chart.set_image(chart if chart and Path(chart).is_file() else ""):
            self.chart.setText(self.tr("Compare the scenarios to see the chart."))
        text = self.quota_totals(trail)
        self.form.totalsLabel.setText(text)
        return text.replace("<br>", " ")

    def quota_totals(self, trail) -> str:
        """One line per project (and community): the quota, the floor area and whether official."""
        if not trail:
            return ""
        blocks: dict = {}
        for r in trail:
            key = (r.get("project"), r.get("community"))
            blocks.setdefault(key, {})[str(r.get("quantity") or "")] = r
        lines = []
        for (project, community), rows in blocks.items():
            where = str(project) if community is None else f"{project} / {community}"
            area = rows.get("result.retained_area", {}).get("value")
            floor = rows.get("result.planned_floor_area", {}).get("value")
            official = rows.get("official", {})
            figures = (
                self.tr("retained land {area} m², planned floor area {floor} m²").format(
                    area=_num(area), floor=_num(floor)
                )
                if area is not None
                else self.tr("no retained-land figure")
            )
            if official.get("value") in (1, 1.0, True):
                lines.append(self.tr("{where}: {figures} (official)").format(where=where, figures=figures))
            else:
                lines.append(self.tr("{where}: {figures}, NOT OFFICIAL").format(where=where, figures=figures))
        unverified = sum(1 for r in trail if r.get("verified") in (False, 0))
        lines.append(self.tr("{n} steps in the trail, {u} not verified.").format(n=len(trail), u=unverified))
        return "<br>".join(lines)

    # -- scenarios ---------------------------------------------------------------------------------
    def scenario_parameters(self, for_dialog: bool = False) -> dict:
        quota = self.layer("OUTPUT")
        if quota is None:
            raise SetupError(self.tr("Compute the quota first."))
        scenarios = self.setup.option("quota_scenarios")
        if not scenarios and not for_dialog:
            raise SetupError(self.tr("Choose a scenarios file (TOML) with the rates of each scenario."))
        joined = self.layer("PIECES")
        community = self.community_field() if joined is not None else ""
        pieces = joined if joined is not None else self.pieces_layer()
        buildings = optional_layer(self.project, self.setup, "buildings")
        floor = optional_field(buildings, self.setup, "floor_area") if buildings is not None else ""
        status = optional_field(buildings, self.setup, "building_status") if buildings is not None else ""
        use_buildings = buildings is not None and floor and status
        params = {
            "INPUT": pieces.id(),
            "COMMUNITY_FIELD": community or None,
            "QUOTA": quota.id(),
            "BUILDINGS": buildings.id() if use_buildings else None,
            "FLOOR_AREA_FIELD": floor if use_buildings else None,
            "BUILDING_STATUS_FIELD": status if use_buildings else None,
            "SCENARIOS": scenarios or None,
            "OFFICIAL": self.bool_option("quota_official"),
        }
        if not for_dialog:
            params["OUTPUT"] = self.output_path("scenarios")
            params["CHART"] = self.output_path("scenarios_chart")[: -len(".gpkg")] + ".png"
            if has_finance(scenarios):
                params["FINANCE_TABLES"] = self.output_path("finance_tables")
        return params

    @guarded
    def run_scenarios(self) -> None:
        if self._missing([SCENARIOS_ID]):
            raise SetupError(self.tr("{id} is not registered in this QGIS.").format(id=SCENARIOS_ID))
        if self.dock.runner.is_running():
            raise SetupError(self.tr("Another landcoord task is still running; wait for it or cancel it."))
        params = self.scenario_parameters()
        self.dock.save_setup()
        self.start(SCENARIOS_ID, params, [], self.finished, self.tr("Benefit-sharing scenarios"))

    @guarded
    def open_scenarios_dialog(self):
        from qgis import processing

        params = self.fit(SCENARIOS_ID, self.scenario_parameters(for_dialog=True))
        if self._scenarios_dialog is not None:
            self._scenarios_dialog.close()
        dialog = processing.createAlgorithmDialog(SCENARIOS_ID, params)
        if dialog is None:
            raise SetupError(self.tr("{id} is not registered in this QGIS.").format(id=SCENARIOS_ID))
        dialog.show()
        self._scenarios_dialog = dialog
        return dialog

    def close_down(self) -> None:
        super().close_down()
        if self._scenarios_dialog is not None:
            self._scenarios_dialog.close()
            self._scenarios_dialog = None

    def verified_label(self, value) -> str:
        if value is None:
            return ""
        return self.tr("yes") if bool(value) else self.tr("NO")


def has_finance(scenarios) -> bool:
    """Whether the scenarios file has a [scenario.finance] section (True when it does not load: the
    run then names the problem, and asking for the finance tables changes nothing)."""
    if not scenarios:
        return False
    try:
        from ..allocation.scenarios import load_scenarios

        return any(sc.finance is not None for sc in load_scenarios(scenarios).scenarios)
    except Exception:  # noqa: BLE001 - any failure to read is reported by the run itself
        return True


def _num(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    return "—" if value != value else f"{value:,.2f}"
