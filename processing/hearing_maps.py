"""Processing algorithm ``landcoord:hearingmaps``: the hearing pack of one project as one PDF."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..qgis_compat import (
    ALGORITHM_NO_THREADING,
    FILE_FILE,
    FILE_FOLDER,
    NUMBER_INTEGER,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_POLYGON,
)
from .base import LandcoordAlgorithm, QgisFeedback, source_to_frame
from .conventions import layer_name

PAPERS = ("A3", "A4")


class HearingMaps(LandcoordAlgorithm):
    GROUP = "hearing"
    BOUNDARY = "BOUNDARY"
    PROJECT_FIELD = "PROJECT_FIELD"
    PROJECT = "PROJECT"
    PROJECT_NAME_FIELD = "PROJECT_NAME_FIELD"
    CADASTRE = "CADASTRE"
    PARCEL_FIELD = "PARCEL_FIELD"
    HOLDER_FIELD = "HOLDER_FIELD"
    HOLDER_TYPE_FIELD = "HOLDER_TYPE_FIELD"
    STATUS_FIELD = "STATUS_FIELD"
    PIECES = "PIECES"
    CONTROLS = "CONTROLS"
    CONTROL_KIND_FIELD = "CONTROL_KIND_FIELD"
    CONTROL_NAME_FIELD = "CONTROL_NAME_FIELD"
    RETAINED = "RETAINED"
    CONFLICTS = "CONFLICTS"
    CONFLICT_SUMMARY = "CONFLICT_SUMMARY"
    QUOTA_TRAIL = "QUOTA_TRAIL"
    SCENARIOS = "SCENARIOS"
    CHART = "CHART"
    FINANCE = "FINANCE"
    LEDGER = "LEDGER"
    OFFICE = "OFFICE"
    DATE = "DATE"
    PAPER = "PAPER"
    DPI = "DPI"
    INTERNAL = "INTERNAL"
    TEMPLATES = "TEMPLATES"
    PNG = "PNG"
    MAX_HOLDERS = "MAX_HOLDERS"
    OUTPUT = "OUTPUT"
    PAGES = "PAGES"
    FINGERPRINT = "FINGERPRINT"

    def name(self) -> str:
        return "hearingmaps"

    def displayName(self) -> str:
        return self.tr("Hearing maps (PDF pack)")

    def flags(self):
        # print layouts and fonts belong to the main thread
        return super().flags() | ALGORITHM_NO_THREADING

    def shortHelpString(self) -> str:
        return self.tr(
            "Writes the print-ready pack of one project for a public hearing (听证会) as ONE multi-page "
            "PDF: an overview sheet (the project on its parcels coloured by holder, control lines, "
            "carved retained land, title block, legend, scale bar, north arrow, affected area per "
            "holder), one sheet per rights-holder (a QGIS atlas: their pieces highlighted, their "
            "parcels, their figures under each benefit-sharing scenario), a benefit-sharing sheet "
            "(chart, every party under every scenario, the retained-land quota trail; with FINANCE "
            "also who pays what, every party's land, floor area, cash now and income later, and the "
            "implementing entity's feasibility) and a conflict sheet (every conflict with kind, "
            "severity, area, rule and source); with the ledger, a last monitoring sheet (the "
            "project's indicators on the hearing day, the duties of its stage, the indicators month "
            "by month and their chart). Tables too long for a sheet continue on continuation pages.\n\n"
            "Privacy: the public version (default) masks individual rights-holders' names (张伟 → "
            "张*, 欧阳娜娜 → 欧阳**); community companies and state bodies are shown in full. The "
            "holder type field decides who is an individual; without it the name does. ID-card "
            "and phone numbers are never printed, in either version. The internal version shows "
            "full names and is stamped 'not for public display' on every page.\n\n"
            "With the consultation ledger, the overview sheet also prints the ledger's fingerprint code "
            "(校验码) and the project's consent rates, so that the public pack carries the code.\n\n"
            "Figures resting on unverified rule values are marked 未核实 (unverified) in their cells "
            "and are not official. Chinese text needs a Chinese font: Microsoft YaHei or SimHei on "
            "Windows (shipped with Windows), PingFang SC on macOS, Noto Sans CJK SC on Linux (Debian "
            "and Ubuntu package fonts-noto-cjk); without one the run stops and says what to install."
        )

    def initAlgorithm(self, config=None):
        polygon = [SOURCE_VECTOR_POLYGON]
        table = [SOURCE_VECTOR]
        advanced = PARAMETER_ADVANCED

        def add(p, help_text, is_advanced=False):
            p.setHelp(help_text)
            if is_advanced:
                p.setFlags(p.flags() | advanced)
            self.addParameter(p)

        add(
            QgsProcessingParameterFeatureSource(self.BOUNDARY, self.tr("Project boundaries"), polygon),
            self.tr("Polygon layer with the project boundaries (项目范围)."),
        )
        add(
            QgsProcessingParameterField(
                self.PROJECT_FIELD,
                self.tr("Project id field"),
                parentLayerParameterName=self.BOUNDARY,
                optional=True,
            ),
            self.tr("Field with the project id (项目编号); default: the feature id."),
        )
        add(
            QgsProcessingParameterString(self.PROJECT, self.tr("Project to print"), optional=True),
            self.tr("The project id to print; may be left empty when the layer holds one project."),
        )
        add(
            QgsProcessingParameterField(
                self.PROJECT_NAME_FIELD,
                self.tr("Project name field"),
                parentLayerParameterName=self.BOUNDARY,
                optional=True,
            ),
            self.tr("Field with the project's name (项目名称), printed in the title block."),
        )
        add(
            QgsProcessingParameterFeatureSource(self.CADASTRE, self.tr("Cadastral parcels"), polygon),
            self.tr("Polygon layer of cadastral parcels (宗地): the base of the maps."),
        )
        for key, label, help_text, optional in (
            (self.PARCEL_FIELD, self.tr("Parcel id field"), self.tr("Parcel id (宗地号)."), False),
            (self.HOLDER_FIELD, self.tr("Rights-holder field"), self.tr("Rights-holder (权利人)."), False),
            (
                self.HOLDER_TYPE_FIELD,
                self.tr("Holder type field"),
                self.tr(
                    "Holder type (权利人类型: 个人 / 社区股份合作公司 / 国有单位 ...): decides who is an "
                    "individual whose name is masked. Without it the name decides."
                ),
                True,
            ),
            (
                self.STATUS_FIELD,
                self.tr("Legal status field"),
                self.tr("Legal status of the land (用地状态)."),
                True,
            ),
        ):
            add(
                QgsProcessingParameterField(
                    key, label, parentLayerParameterName=self.CADASTRE, optional=optional
                ),
                help_text,
            )
        add(
            QgsProcessingParameterFeatureSource(
                self.PIECES, self.tr("Affected pieces (from Affected area)"), polygon, optional=True
            ),
            self.tr(
                "The 'Affected pieces' output of landcoord:affectedarea (project, parcel_id, holder, status, "
                "piece_area, parcel_area, parcel_share). Computed from the boundaries and parcels if empty."
            ),
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.CONTROLS, self.tr("Control lines of the one map"), polygon, optional=True
            ),
            self.tr("Control zones (生态保护红线, 道路红线 ...), drawn on the maps."),
        )
        add(
            QgsProcessingParameterField(
                self.CONTROL_KIND_FIELD,
                self.tr("Control kind field"),
                parentLayerParameterName=self.CONTROLS,
                optional=True,
            ),
            self.tr("Field with each control zone's kind (类型); needed with the control lines."),
        )
        add(
            QgsProcessingParameterField(
                self.CONTROL_NAME_FIELD,
                self.tr("Control name field"),
                parentLayerParameterName=self.CONTROLS,
                optional=True,
            ),
            self.tr("Field with each control zone's name (名称)."),
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.RETAINED, self.tr("Carved retained land"), polygon, optional=True
            ),
            self.tr(
                "Retained-land parcels from landcoord:carveretained (community, target_area, area, "
                "deviation, compactness, min_width, frontage, distance_to_holdings)."
            ),
        )
        add(
            QgsProcessingParameterFeatureSource(self.CONFLICTS, self.tr("Conflicts"), polygon, optional=True),
            self.tr(
                "Conflicts from landcoord:planconflicts (input_id, kind, severity, conflict_area, "
                "input_share, rule, source)."
            ),
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.CONFLICT_SUMMARY, self.tr("Conflict verdicts"), table, optional=True
            ),
            self.tr("Per-input verdicts of the conflict check (input_id, blocking_area, ..., verdict)."),
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.QUOTA_TRAIL, self.tr("Retained-land quota trail"), table, optional=True
            ),
            self.tr(
                "The quota trail (project, community, item, quantity, value, unit, rule, source, verified); "
                "unverified values are printed as such."
            ),
        )
        add(
            QgsProcessingParameterFeatureSource(
                self.SCENARIOS, self.tr("Benefit-sharing scenarios (parties)"), table, optional=True
            ),
            self.tr(
                "Figures per scenario and party (scenario, party, party_type, land_area, floor_area, money, "
                "swap_floor_area, verified)."
            ),
        )
        add(
            QgsProcessingParameterFile(
                self.CHART, self.tr("Scenario comparison chart (PNG)"), extension="png", optional=True
            ),
            self.tr("The chart written by the benefit-sharing step."),
        )
        add(
            QgsProcessingParameterFile(
                self.FINANCE,
                self.tr("Finance tables (output of the benefit-sharing step)"),
                behavior=FILE_FILE,
                fileFilter=self.tr("GeoPackage or CSV (*.gpkg *.GPKG *.csv *.CSV)"),
                optional=True,
            ),
            self.tr(
                "The GeoPackage (or the .csv with the _finance_* tables beside it) the benefit-sharing step "
                "wrote with a scenarios file that has [scenario.finance]: the benefit sheet then shows every "
                "party's land, floor area, cash now and income later (NPV) under each scenario, reconciled, "
                "who pays what, and the implementing entity's feasibility verdict."
            ),
        )
        add(
            QgsProcessingParameterFile(
                self.LEDGER,
                self.tr("Consultation ledger (project GeoPackage)"),
                behavior=FILE_FILE,
                fileFilter=self.tr("GeoPackage (*.gpkg *.GPKG)"),
                optional=True,
            ),
            self.tr(
                "The GeoPackage holding the consultation ledger (tables ledger_*), usually the project's "
                "own. The overview sheet then prints the ledger's fingerprint code (校验码), its number "
                "of audit entries and the time of the last, and the project's consent rates by holders "
                "and by affected area, all read at one moment: anyone can later check with "
                "'landcoord consent verify' that the record up to the hearing was not altered."
            ),
        )
        add(
            QgsProcessingParameterString(
                self.OFFICE, self.tr("Issuing office"), defaultValue="", optional=True
            ),
            self.tr("Printed in the title block (出具单位)."),
        )
        add(
            QgsProcessingParameterString(self.DATE, self.tr("Date"), optional=True),
            self.tr("Printed in the title block; default: today."),
        )
        add(
            QgsProcessingParameterEnum(
                self.PAPER, self.tr("Paper size"), options=list(PAPERS), defaultValue=0
            ),
            self.tr("Landscape A3 (default) or A4."),
        )
        add(
            QgsProcessingParameterNumber(
                self.DPI,
                self.tr("Resolution (DPI)"),
                NUMBER_INTEGER,
                200,
                False,
                50,
                1200,
            ),
            self.tr("Resolution of raster content and of the PNG pages."),
        )
        add(
            QgsProcessingParameterBoolean(
                self.INTERNAL,
                self.tr("Internal version (full names, NOT for public display)"),
                defaultValue=False,
            ),
            self.tr(
                "Print individuals' full names; every page is stamped 'not for public display'. ID-card and "
                "phone numbers are never printed."
            ),
        )
        add(
            QgsProcessingParameterFile(
                self.TEMPLATES,
                self.tr("Layout templates folder"),
                behavior=FILE_FOLDER,
                optional=True,
            ),
            self.tr(
                "A folder with your own overview.qpt, holder.qpt, benefit.qpt and/or conflicts.qpt; "
                "items are filled by id (see the documentation)."
            ),
            True,
        )
        add(
            QgsProcessingParameterBoolean(
                self.PNG, self.tr("Also write one PNG per page"), defaultValue=False
            ),
            self.tr("PNGs go to a folder beside the PDF, named after it."),
            True,
        )
        add(
            QgsProcessingParameterNumber(
                self.MAX_HOLDERS,
                self.tr("At most this many holder sheets (0: all)"),
                NUMBER_INTEGER,
                0,
                False,
                0,
            ),
            self.tr("Largest affected area first; the overview lists every holder."),
            True,
        )
        p = QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Hearing pack"), self.tr("PDF files (*.pdf)")
        )
        p.setHelp(self.tr("The PDF to write."))
        self.addParameter(p)
        self.addOutput(QgsProcessingOutputNumber(self.PAGES, self.tr("Pages")))
        self.addOutput(
            QgsProcessingOutputString(self.FINGERPRINT, self.tr("Ledger fingerprint code (校验码)"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        from pathlib import Path

        from ..allocation.affected import affected_area
        from ..allocation.errors import LandcoordError
        from ..allocation.hearing import hearing_data, read_finance
        from ..report.pack import write_hearing_pack

        shown = {}  # id of a source -> the layer's name as QGIS shows it, for messages

        def source(key, required=False):
            src = self.parameterAsSource(parameters, key, context)
            if src is None and required:
                raise QgsProcessingException(self.invalidSourceError(parameters, key))
            if src is not None:
                shown[id(src)] = layer_name(self, parameters, key, context, src)
            return src

        def text(key):
            return self.parameterAsString(parameters, key, context) or None

        def frame(src, default_name, fields=None):
            if src is None:
                return None
            names = fields if fields is not None else [f.name() for f in src.fields()]
            return source_to_frame(src, names, shown.get(id(src)) or default_name, feedback)

        boundary_src = source(self.BOUNDARY, True)
        cadastre_src = source(self.CADASTRE, True)
        project_field = text(self.PROJECT_FIELD)
        parcel_field = text(self.PARCEL_FIELD)
        holder_field = text(self.HOLDER_FIELD)
        type_field = text(self.HOLDER_TYPE_FIELD)
        status_field = text(self.STATUS_FIELD)
        name_field = text(self.PROJECT_NAME_FIELD)
        kind_field = text(self.CONTROL_KIND_FIELD)
        cname_field = text(self.CONTROL_NAME_FIELD)
        out = Path(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        max_holders = self.parameterAsInt(parameters, self.MAX_HOLDERS, context)
        png = self.parameterAsBoolean(parameters, self.PNG, context)
        core_fb = QgisFeedback(feedback)
        try:
            boundary = frame(boundary_src, self.tr("project boundaries"), [project_field, name_field])
            cadastre = frame(
                cadastre_src, self.tr("cadastre"), [parcel_field, holder_field, type_field, status_field]
            )
            pieces_src = source(self.PIECES)
            summary = None
            if pieces_src is not None:
                pieces = frame(pieces_src, self.tr("affected pieces"))
            else:
                feedback.setProgressText(self.tr("Computing the affected area"))
                result = affected_area(
                    boundary,
                    cadastre,
                    parcel_field=parcel_field,
                    holder_field=holder_field,
                    status_field=status_field,
                    project_field=project_field,
                    feedback=core_fb,
                )
                pieces, summary = result.pieces, result.summary
            controls_src = source(self.CONTROLS)
            data = hearing_data(
                pieces,
                project=text(self.PROJECT),
                summary=summary,
                boundary=boundary,
                project_field=project_field,
                project_name_field=name_field,
                parcels=cadastre,
                parcel_field=parcel_field,
                holder_field=holder_field,
                holder_type_field=type_field,
                status_field=status_field,
                controls=frame(controls_src, self.tr("control lines"), [kind_field, cname_field])
                if controls_src is not None
                else None,
                control_kind_field=kind_field,
                control_name_field=cname_field,
                retained=frame(source(self.RETAINED), self.tr("carved retained land")),
                conflicts=frame(source(self.CONFLICTS), self.tr("conflicts")),
                conflict_summary=_table(frame(source(self.CONFLICT_SUMMARY), self.tr("conflict verdicts"))),
                quota_trail=_table(frame(source(self.QUOTA_TRAIL), self.tr("quota trail"))),
                scenarios=_table(frame(source(self.SCENARIOS), self.tr("scenarios"))),
                chart=text(self.CHART),
                finance=read_finance(text(self.FINANCE)) if text(self.FINANCE) else None,
                public=not self.parameterAsBoolean(parameters, self.INTERNAL, context),
                max_holders=max_holders or None,
                ledger=self.parameterAsFile(parameters, self.LEDGER, context) or None,
                feedback=core_fb,
            )
            feedback.setProgressText(self.tr("Rendering the hearing pack"))
            result = write_hearing_pack(
                data,
                out,
                paper=PAPERS[self.parameterAsEnum(parameters, self.PAPER, context)],
                dpi=self.parameterAsInt(parameters, self.DPI, context),
                office=text(self.OFFICE) or "",
                date=text(self.DATE),
                templates=text(self.TEMPLATES),
                png_dir=out.parent / f"{out.stem}_png" if png else None,
                feedback=core_fb,
            )
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(
            self.tr("{n} pages written to {path} ({version} version).").format(
                n=len(result.pages),
                path=str(result.pdf),
                version=self.tr("public") if data.public else self.tr("INTERNAL"),
            )
        )
        outputs = {self.OUTPUT: str(result.pdf), self.PAGES: len(result.pages)}
        if data.ledger is not None:
            outputs[self.FINGERPRINT] = data.ledger.code
            feedback.pushInfo(
                self.tr(
                    "Ledger fingerprint code (校验码) printed on the overview: {code} ({n} audit entries)."
                ).format(code=data.ledger.code, n=data.ledger.entries)
            )
        return outputs


def _table(gdf):
    """A table source read as a frame: drop the empty geometry column."""
    if gdf is None:
        return None
    import pandas as pd

    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df.attrs.update(gdf.attrs)
    return df
