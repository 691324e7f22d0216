"""Processing algorithm ``landcoord:benefitscenarios``: each party's stake under each scenario."""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
)

from ..qgis_compat import (
    FIELD_NUMERIC,
    NUMBER_INTEGER,
    PARAMETER_ADVANCED,
    SOURCE_VECTOR,
    SOURCE_VECTOR_POLYGON,
    field_type,
)
from .base import LandcoordAlgorithm, QgisFeedback, frame_fields, piece_fields, source_to_frame
from .conventions import layer_name

QUOTA_FIELDS = ("project", "community", "quantity", "value", "verified")


class BenefitScenarios(LandcoordAlgorithm):
    GROUP = "allocation"
    INPUT = "INPUT"
    COMMUNITY_FIELD = "COMMUNITY_FIELD"
    QUOTA = "QUOTA"
    BUILDINGS = "BUILDINGS"
    FLOOR_AREA_FIELD = "FLOOR_AREA_FIELD"
    BUILDING_STATUS_FIELD = "BUILDING_STATUS_FIELD"
    SCENARIOS = "SCENARIOS"
    OFFICIAL = "OFFICIAL"
    OUTPUT = "OUTPUT"
    LINES = "LINES"
    CHART = "CHART"
    YEARS = "YEARS"
    FEASIBILITY = "FEASIBILITY"
    CASHFLOW = "CASHFLOW"
    SENSITIVITY = "SENSITIVITY"
    INCOME = "INCOME"
    TERMS = "TERMS"
    FINANCE_TABLES = "FINANCE_TABLES"

    def name(self) -> str:
        return "benefitscenarios"

    def displayName(self) -> str:
        return self.tr("Benefit-sharing scenarios (利益共享方案)")

    def shortHelpString(self) -> str:
        return self.tr(
            "Lays the options of a project side by side: for each scenario of the scenarios file and "
            "each party (the government, each community, each rights-holder, the developer if any), "
            "the land area, floor area, money and property-swap floor area it receives. The money is "
            "made of compensation lines (land by legal status, buildings by legal status, cash in "
            "lieu of retained land, the buy-back), each with its rate and the source of that rate; "
            "the government pays them unless the scenario names other payers.\n\n"
            "For every scenario the land the parties receive adds up to the land of the project, the "
            "floor area to the planned floor area taken, and the money to the compensation lines.\n\n"
            "Rates are inputs from the officer: nothing is defaulted, and a missing rate stops the "
            "run with its status named. A figure is verified only if every rate and quota figure "
            "behind it is.\n\n"
            "A scenario with a [scenario.finance] section also gives who pays each line (the "
            "implementing entity 实施主体, the government or the developer), the land premium (地价) "
            "from a premium rule set and a benchmark price table, each party's cash flow, the "
            "feasibility for the implementing entity (margin, break-even sale price) with a "
            "sensitivity table over price and FAR, the community's equity rent and each party's NPV "
            "over the years, and the public facilities and employment commitments."
        )

    def initAlgorithm(self, config=None):
        p = QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Parcel pieces (output of Affected area)"), [SOURCE_VECTOR]
        )
        p.setHelp(self.tr("The same pieces the quota was computed from."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.COMMUNITY_FIELD,
            self.tr("Community field"),
            parentLayerParameterName=self.INPUT,
            optional=True,
        )
        p.setHelp(self.tr("The community field used for the quota (leave empty if the quota used none)."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.QUOTA, self.tr("Quota trail (output of Retained-land quota)"), [SOURCE_VECTOR]
        )
        p.setHelp(self.tr("The trail table written by landcoord:retainedquota."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSource(
            self.BUILDINGS, self.tr("Buildings"), [SOURCE_VECTOR_POLYGON], optional=True
        )
        p.setHelp(self.tr("Building footprints with floor area and legal status, compensated or swapped."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.FLOOR_AREA_FIELD,
            self.tr("Floor area field of the buildings"),
            parentLayerParameterName=self.BUILDINGS,
            type=FIELD_NUMERIC,
            optional=True,
        )
        p.setHelp(self.tr("Total floor area of each building in m² (建筑面积)."))
        self.addParameter(p)
        p = QgsProcessingParameterField(
            self.BUILDING_STATUS_FIELD,
            self.tr("Legal status field of the buildings"),
            parentLayerParameterName=self.BUILDINGS,
            optional=True,
        )
        p.setHelp(self.tr("Legal status of each building (合法状态), the key of the floor rates."))
        self.addParameter(p)
        p = QgsProcessingParameterFile(
            self.SCENARIOS, self.tr("Scenarios file (TOML)"), fileFilter=self.tr("Scenarios (*.toml)")
        )
        p.setHelp(
            self.tr(
                "Per scenario: land rates by status, floor rates by building status, swap ratio and "
                "eligible statuses, share of retained land, cash in lieu, buy-back price, developer; "
                "each figure with its source and verified flag."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterBoolean(self.OFFICIAL, self.tr("Official figures only"), defaultValue=False)
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Fail, writing nothing, unless every rate and quota figure used is verified."))
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Scenarios by party"), SOURCE_VECTOR)
        p.setHelp(
            self.tr(
                "Table: scenario, project, party_type, party, land_area, floor_area, money, swap_floor_area, "
                "verified; money received is positive, the payers' payments (the government's, the "
                "implementing entity's) negative."
            )
        )
        self.addParameter(p)
        p = QgsProcessingParameterFeatureSink(
            self.LINES,
            self.tr("Compensation lines"),
            SOURCE_VECTOR,
            optional=True,
            createByDefault=False,
        )
        p.setHelp(self.tr("Who is paid what, for what, at which rate, from which source."))
        self.addParameter(p)
        p = QgsProcessingParameterFileDestination(
            self.CHART,
            self.tr("Chart (PNG)"),
            fileFilter=self.tr("PNG images (*.png)"),
            optional=True,
            createByDefault=True,
        )
        p.setHelp(self.tr("Bar charts comparing the parties across the scenarios."))
        self.addParameter(p)
        p = QgsProcessingParameterNumber(
            self.YEARS,
            self.tr("Years of income"),
            type=NUMBER_INTEGER,
            minValue=0,
            maxValue=200,
            optional=True,
        )
        p.setFlags(p.flags() | PARAMETER_ADVANCED)
        p.setHelp(self.tr("Years of rent the finance tables count; empty: each scenario's years."))
        self.addParameter(p)
        for key, label, text in (
            (self.FEASIBILITY, self.tr("Feasibility"),
             self.tr("Per scenario and project: the implementing entity's sales, cost, profit, margin, "
                     "break-even sale price and verdict (feasible, not feasible, unknown).")),
            (self.CASHFLOW, self.tr("Cash flow by party"),
             self.tr("Per party: sales, compensation, land premium, construction and payments received "
                     "and paid, net now, annual rent and NPV.")),
            (self.SENSITIVITY, self.tr("Sensitivity over price and FAR"),
             self.tr("The entity's profit and margin for each sale-price factor and FAR factor.")),
            (self.INCOME, self.tr("Income over time"),
             self.tr("Per party and year: cash, discount factor and discounted cash.")),
            (self.TERMS, self.tr("Facilities and jobs"),
             self.tr("The public facilities (type, floor area, builder, owner) and the employment "
                     "commitments (count, years, employer).")),
        ):  # fmt: skip
            p = QgsProcessingParameterFeatureSink(
                key, label, SOURCE_VECTOR, optional=True, createByDefault=False
            )
            p.setHelp(text)
            self.addParameter(p)
        p = QgsProcessingParameterFileDestination(
            self.FINANCE_TABLES,
            self.tr("Finance tables (GeoPackage)"),
            fileFilter=self.tr("GeoPackage (*.gpkg)"),
            optional=True,
            createByDefault=False,
        )
        p.setHelp(
            self.tr(
                "Every table of the run in one GeoPackage, as the command line's landcoord benefits "
                "--out writes it (scenario_parties, scenario_lines, scenario_reconciliation and the "
                "finance_* tables), written whole or not at all: give it to the hearing pack "
                "(landcoord:hearingmaps, Finance tables) to print who pays, every party over time and "
                "the feasibility. Only with a scenarios file that has [scenario.finance]; without, "
                "nothing is written and the log says so."
            )
        )
        self.addParameter(p)

    def processAlgorithm(self, parameters, context, feedback):
        from ..allocation.errors import LandcoordError
        from ..allocation.io.files import write_layers
        from ..allocation.scenarios import benefit_scenarios
        from ..report.charts import scenario_chart

        src = self.parameterAsSource(parameters, self.INPUT, context)
        if src is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        qsrc = self.parameterAsSource(parameters, self.QUOTA, context)
        if qsrc is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.QUOTA))
        community_field = self.parameterAsString(parameters, self.COMMUNITY_FIELD, context) or None
        bsrc = self.parameterAsSource(parameters, self.BUILDINGS, context)
        floor_field = self.parameterAsString(parameters, self.FLOOR_AREA_FIELD, context) or None
        status_field = self.parameterAsString(parameters, self.BUILDING_STATUS_FIELD, context) or None
        scenarios = self.parameterAsFile(parameters, self.SCENARIOS, context)
        official = self.parameterAsBoolean(parameters, self.OFFICIAL, context)
        years = (
            self.parameterAsInt(parameters, self.YEARS, context)
            if parameters.get(self.YEARS) not in (None, "")
            else None
        )
        chart = self.parameterAsFileOutput(parameters, self.CHART, context)
        finance_tables = (
            self.parameterAsFileOutput(parameters, self.FINANCE_TABLES, context)
            if parameters.get(self.FINANCE_TABLES) not in (None, "")
            else ""
        )
        if bsrc is not None and not (floor_field and status_field):
            raise QgsProcessingException(
                self.tr("Choose the floor area field and the legal status field of the buildings.")
            )
        fb = QgisFeedback(feedback)
        try:
            pieces = source_to_frame(
                src,
                piece_fields(src, community_field),
                layer_name(self, parameters, self.INPUT, context, src) or self.tr("pieces"),
                feedback,
            )
            quota = source_to_frame(
                qsrc,
                list(QUOTA_FIELDS),
                layer_name(self, parameters, self.QUOTA, context, qsrc) or self.tr("quota"),
                feedback,
            )
            buildings = (
                source_to_frame(
                    bsrc,
                    [floor_field, status_field],
                    layer_name(self, parameters, self.BUILDINGS, context, bsrc) or self.tr("buildings"),
                    feedback,
                )
                if bsrc is not None
                else None
            )
            result = benefit_scenarios(
                pieces,
                quota,
                scenarios,
                community_field=community_field,
                buildings=buildings,
                floor_area_field=floor_field,
                building_status_field=status_field,
                official=official,
                years=years,
                feedback=fb,
            )
            if chart:
                scenario_chart(result, chart, feedback=fb)
            if finance_tables and result.finance is not None:
                # the command line's writer (landcoord benefits --out x.gpkg): the same tables, atomically
                write_layers(finance_tables, result.layers(), feedback=fb)
        except LandcoordError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}

        project_type = src.fields().field("project").type()
        table, crs = Qgis.WkbType.NoGeometry, src.sourceCrs()  # every output is a table
        outputs = {}
        for key, frame, types in (
            (self.OUTPUT, result.parties, {"project": project_type, "verified": field_type("bool")}),
            (
                self.LINES,
                result.lines,
                {"project": project_type, "community": field_type("string"), "verified": field_type("bool")},
            ),
        ):
            fields = frame_fields(frame, types)
            self.write_output(parameters, key, context, frame, fields, table, crs, feedback, outputs)
        fin = result.finance
        if fin is not None:
            for key, frame in (
                (self.FEASIBILITY, fin.feasibility),
                (self.CASHFLOW, fin.cashflow),
                (self.SENSITIVITY, fin.sensitivity),
                (self.INCOME, fin.income),
                (self.TERMS, fin.terms),
            ):
                types = {"project": project_type}
                types.update({c: field_type("bool") for c in ("verified", "feasible") if c in frame.columns})
                fields = frame_fields(frame, types)
                self.write_output(parameters, key, context, frame, fields, table, crs, feedback, outputs)
            for r in fin.feasibility.itertuples(index=False):
                feedback.pushInfo(
                    self.tr(
                        "Scenario {s}, project {p}: {verdict} for {entity}: margin {m}, "
                        "break-even sale price {b} yuan/m²"
                    ).format(
                        s=r.scenario,
                        p=r.project,
                        verdict=r.verdict,
                        entity=r.entity,
                        m="-" if r.margin != r.margin else f"{r.margin:.1%}",
                        b="-" if r.break_even_price != r.break_even_price else f"{r.break_even_price:,.0f}",
                    )
                )
        if chart:
            outputs[self.CHART] = chart
        if finance_tables and result.finance is not None:
            outputs[self.FINANCE_TABLES] = finance_tables
        elif finance_tables:
            feedback.pushWarning(
                self.tr(
                    "Finance tables not written to {path}: no scenario of the scenarios file has a "
                    "[scenario.finance] section, and the hearing pack's Finance tables need its tables."
                ).format(path=finance_tables)
            )
        for r in result.reconciliation.itertuples(index=False):
            feedback.pushInfo(
                self.tr(
                    "Scenario {s}, project {p}: land {l:.2f} of {pl:.2f} m² received; floor area {f:.2f} of "
                    "{fa:.2f} m²; money {m:.2f} of {c:.2f} yuan of compensation lines ({ok})"
                ).format(
                    s=r.scenario,
                    p=r.project,
                    l=r.land_received,
                    pl=r.project_land,
                    f=r.floor_received,
                    fa=r.floor_available,
                    m=r.money_received,
                    c=r.compensation_lines,
                    ok=self.tr("balanced") if r.balanced else self.tr("NOT balanced"),
                )
            )
        if not result.official:
            feedback.pushWarning(
                self.tr("NOT OFFICIAL: {why}").format(
                    why=self.tr("the scenarios file is an example")
                    if result.scenarios.example
                    else self.tr("some rates or quota figures are not verified")
                )
            )
        return outputs
