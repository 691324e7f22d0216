<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>@default</name>
    <message>
        <location filename="../ui/checks.py" line="50"/>
        <source>project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="51"/>
        <source>cadastral parcels</source>
        <translation>地籍宗地</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="52"/>
        <source>buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="53"/>
        <source>control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="54"/>
        <source>zoning</source>
        <translation>规划</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="55"/>
        <source>community holdings</source>
        <translation>社区现有用地</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="56"/>
        <source>roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="62"/>
        <source>project id</source>
        <translation>项目编号</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="65"/>
        <source>parcel id</source>
        <translation>宗地号</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="66"/>
        <source>rights-holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="67"/>
        <source>holder type</source>
        <translation>权利人类型</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="68"/>
        <source>legal status</source>
        <translation>用地状态</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="69"/>
        <source>community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="70"/>
        <source>control-line kind</source>
        <translation>控制线类型</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="71"/>
        <source>floor area</source>
        <translation>建筑面积</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="72"/>
        <source>building legal status</source>
        <translation>建筑合法状态</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="73"/>
        <source>land use</source>
        <translation>用地性质</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="74"/>
        <source>community of the holdings</source>
        <translation>现有用地的社区</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="85"/>
        <source>The layer chosen for the {what} is no longer in the QGIS project. Choose it again on the Project step.</source>
        <translation>为{what}选择的图层已不在 QGIS 工程中。请在“项目”步骤中重新选择。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="92"/>
        <source>Layer &apos;{layer}&apos; ({what}) cannot be read: repair its data source.</source>
        <translation>图层“{layer}”（{what}）无法读取：请修复其数据源。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="98"/>
        <source>Layer &apos;{layer}&apos; cannot serve as the {what}: it has the wrong geometry type.</source>
        <translation>图层“{layer}”不能作为{what}：其几何类型不符。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="104"/>
        <source>Layer &apos;{layer}&apos; ({what}) is empty: choose a layer with features.</source>
        <translation>图层“{layer}”（{what}）为空：请选择含有要素的图层。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="115"/>
        <source>Choose the layer of {what} on the Project step first.</source>
        <translation>请先在“项目”步骤中选择{what}图层。</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="132"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="128"/>
        <source>Layer &apos;{layer}&apos; has no field &apos;{field}&apos; (chosen as the {what}). Available fields: {available}. Choose one on the Project step.</source>
        <translation>图层“{layer}”中没有字段“{field}”（被选作{what}）。可用字段：{available}。请在“项目”步骤中另选一个。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="140"/>
        <source>Choose the {what} field of layer &apos;{layer}&apos; on the Project step.</source>
        <translation>请在“项目”步骤中选择图层“{layer}”的{what}字段。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="154"/>
        <source>Layer &apos;{other}&apos; is in {other_crs} and &apos;{ref}&apos; in {ref_crs}: &apos;{other}&apos; is reprojected to {ref_crs} for the computation.</source>
        <translation>图层“{other}”的坐标系为 {other_crs}，而“{ref}”为 {ref_crs}：计算时会将“{other}”重投影到 {ref_crs}。</translation>
    </message>
    <message>
        <location filename="../ui/guard.py" line="44"/>
        <source>Land consolidation</source>
        <translation>土地整备</translation>
    </message>
    <message>
        <location filename="../ui/guard.py" line="77"/>
        <source>Unexpected error: {error}. The details are in the log panel (tab landcoord).</source>
        <translation>意外错误：{error}。详细信息见日志面板（landcoord 选项卡）。</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="64"/>
        <source>Blocking</source>
        <translation>禁止</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="65"/>
        <source>Review</source>
        <translation>需复核</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="66"/>
        <source>Advisory</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="67"/>
        <source>Sliver (below tolerance)</source>
        <translation>碎片（低于容差）</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="118"/>
        <source>Layer &apos;{layer}&apos; has no field &apos;{field}&apos; to colour by.</source>
        <translation>图层“{layer}”中没有用于着色的字段“{field}”。</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="142"/>
        <source>(no rights-holder)</source>
        <translation>（无权利人）</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="146"/>
        <source>(no community)</source>
        <translation>（无社区）</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="186"/>
        <source>landcoord: {name}</source>
        <translation>土地整备：{name}</translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="221"/>
        <source>The result &apos;{name}&apos; could not be loaded from {uri}.</source>
        <translation>无法从 {uri} 加载成果“{name}”。</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="99"/>
        <source>Not available: the Processing algorithm {ids} is not registered in this QGIS. This step needs a landcoord version that provides it.</source>
        <translation>不可用：本 QGIS 中未注册处理工具算法 {ids}。此步骤需要提供该算法的 landcoord 版本。</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="163"/>
        <source>Layer &apos;{layer}&apos; has no feature with {field} = {value}: choose the project again.</source>
        <translation>图层“{layer}”中没有 {field} = {value} 的要素：请重新选择项目。</translation>
    </message>
    <message>
        <location filename="../ui/tasks.py" line="140"/>
        <source>Another landcoord task is still running; wait for it or cancel it.</source>
        <translation>另一个 landcoord 任务仍在运行，请等待其完成或将其取消。</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="249"/>
        <source>{step}: canceled; nothing was changed.</source>
        <translation>{step}：已取消；未做任何改动。</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="256"/>
        <source>{step} failed: {error}</source>
        <translation>{step}失败：{error}</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="265"/>
        <source>{step}: done. {summary}</source>
        <translation>{step}：完成。{summary}</translation>
    </message>
    <message>
        <location filename="../ui/step.py" line="267"/>
        <source>{n} warning(s), e.g.: {first} (all in the log panel)</source>
        <translation>{n} 条警告，例如：{first}（全部见日志面板）</translation>
    </message>
    <message>
        <location filename="../ui/tasks.py" line="82"/>
        <source>The algorithm failed without a message; see the log panel.</source>
        <translation>算法失败且未给出信息；请查看日志面板。</translation>
    </message>
    <message>
        <location filename="../ui/tasks.py" line="143"/>
        <source>The Processing algorithm {id} is not available in this QGIS.</source>
        <translation>本 QGIS 中没有处理工具算法 {id}。</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="63"/>
        <source>project name</source>
        <translation>项目名称</translation>
    </message>
    <message>
        <location filename="../ui/checks.py" line="64"/>
        <source>control-line name</source>
        <translation>控制线名称</translation>
    </message>
</context>
<context>
    <name>AffectedArea</name>
    <message>
        <location filename="../processing/affected_area.py" line="38"/>
        <source>Affected area by rights-holder</source>
        <translation>按权利人统计受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="41"/>
        <source>Overlays project boundaries on cadastral parcels and derives each rights-holder's affected area, by legal status of the land, with exact area accounting: every square metre inside a project is in a parcel piece, in an overlap (land claimed by two parcels) or in a gap (land no parcel covers). Parcels wholly inside a boundary are taken as they are; only parcels crossing its edge are clipped.

Areas are in m² on the projection plane of the cadastre (a geographic cadastre is measured in its CGCS2000 Gauss-Krüger or UTM zone), or on the ellipsoid if asked. Invalid geometries are repaired and reported by parcel id; parcels without a rights-holder are kept with holder NULL and reported.</source>
        <translation>将项目范围与地籍宗地叠加，按用地状态得出每个权利人的受影响面积，面积核算精确：项目范围内的每一平方米都落在某个宗地图斑、重叠区（被两宗地主张的土地）或缝隙（无宗地覆盖的土地）中。完全位于范围内的宗地原样采用；只裁切跨越范围边界的宗地。

面积单位为平方米，在地籍的投影平面上计算（地理坐标系的地籍在其 CGCS2000 高斯-克吕格或 UTM 分带中量算），如有需要也可在椭球面上计算。无效几何会被修复并按宗地号报告；没有权利人的宗地予以保留（权利人为 NULL）并报告。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="55"/>
        <source>Project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="56"/>
        <source>Polygon layer with one or more project boundaries.</source>
        <translation>含一个或多个项目范围的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="58"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="64"/>
        <source>Field with the project id; features with the same id form one project. Default: the feature id.</source>
        <translation>记录项目编号的字段；编号相同的要素构成一个项目。默认：要素 ID。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="71"/>
        <source>Cadastral parcels</source>
        <translation>地籍宗地</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="72"/>
        <source>Polygon layer of cadastral parcels (宗地).</source>
        <translation>地籍宗地的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Parcel id field</source>
        <translation>宗地号字段</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Parcel id (宗地号).</source>
        <translation>宗地号。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Rights-holder field</source>
        <translation>权利人字段</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Rights-holder (权利人).</source>
        <translation>权利人。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Legal status field</source>
        <translation>用地状态字段</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Legal status of the land (用地状态).</source>
        <translation>土地的用地状态。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Planar, on the projection plane</source>
        <translation>平面，在投影平面上</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Ellipsoidal</source>
        <translation>椭球面</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="96"/>
        <source>Planar (legal area, default) or ellipsoidal area.</source>
        <translation>平面面积（法定面积，默认）或椭球面面积。</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected pieces</source>
        <translation>受影响图斑</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected area by holder</source>
        <translation>按权利人统计的受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected area by holder and status</source>
        <translation>按权利人和用地状态统计的受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Gaps (land no parcel covers)</source>
        <translation>缝隙（无宗地覆盖的土地）</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Overlaps (land claimed twice)</source>
        <translation>重叠（被重复主张的土地）</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="126"/>
        <source>project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="127"/>
        <source>cadastre</source>
        <translation>地籍</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="133"/>
        <source>Overlaying {n} parcels on {m} boundaries</source>
        <translation>正在将 {n} 宗地与 {m} 个项目范围叠加</translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="204"/>
        <source>Project {p}: boundary {a:.2f} m² = covered {c:.2f} m² + gaps {g:.2f} m²; claimed {cl:.2f} m² of which double-claimed {d:.2f} m²</source>
        <translation>项目 {p}：范围 {a:.2f} 平方米 = 已覆盖 {c:.2f} 平方米 + 缝隙 {g:.2f} 平方米；被主张 {cl:.2f} 平方米，其中重复主张 {d:.2f} 平方米</translation>
    </message>
</context>
<context>
    <name>AffectedStep</name>
    <message>
        <location filename="../ui/affected_step.ui" line="9"/>
        <source>How much of each rights-holder&apos;s land lies inside the project, by legal status, exact to the square metre. Gaps (land no parcel covers) and overlaps (land claimed twice) are shown as their own layers.</source>
        <translation>各权利人有多少土地位于项目范围内，按用地状态统计，精确到平方米。缝隙（无宗地覆盖的土地）和重叠（被重复主张的土地）分别以单独图层显示。</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="21"/>
        <source>Area</source>
        <translation>面积</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="38"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="41"/>
        <source>Run this step in the background with the choices above.</source>
        <translation>按上面的选择在后台运行此步骤。</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="48"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="51"/>
        <source>Open the Processing dialog of this step&apos;s algorithm, filled in with the choices above.</source>
        <translation>打开此步骤算法的处理工具对话框，并按上面的选择预先填好。</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="86"/>
        <source>Search holders…</source>
        <translation>搜索权利人…</translation>
    </message>
    <message>
        <location filename="../ui/affected_step.ui" line="106"/>
        <source>Click a holder to select and zoom to their pieces on the map.</source>
        <translation>点击一个权利人可在地图上选中并缩放至其图斑。</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="27"/>
        <source>Planar, on the projection plane (legal area)</source>
        <translation>平面，在投影平面上（法定面积）</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="28"/>
        <source>Ellipsoidal</source>
        <translation>椭球面</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>Rights-holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>Parcels</source>
        <translation>宗地数</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>Affected area (m²)</source>
        <translation>受影响面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>Share of project</source>
        <translation>占项目比例</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="30"/>
        <source>(no rights-holder)</source>
        <translation>（无权利人）</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="45"/>
        <source>Affected area</source>
        <translation>受影响面积</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="49"/>
        <source>Affected pieces by rights-holder</source>
        <translation>按权利人划分的受影响图斑</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="50"/>
        <source>Affected area by rights-holder</source>
        <translation>按权利人统计受影响面积</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="51"/>
        <source>Affected area by rights-holder and status</source>
        <translation>按权利人和用地状态统计的受影响面积</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="52"/>
        <source>Gaps (land no parcel covers)</source>
        <translation>缝隙（无宗地覆盖的土地）</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="53"/>
        <source>Overlaps (land claimed twice)</source>
        <translation>重叠（被重复主张的土地）</translation>
    </message>
    <message>
        <location filename="../ui/step_affected.py" line="124"/>
        <source>{holders} rights-holders ({rows} project × holder rows), {area} m² affected; gaps {gaps} m², overlaps {overlaps} m².</source>
        <translation>{holders} 个权利人（{rows} 行 项目×权利人），受影响面积 {area} 平方米；缝隙 {gaps} 平方米，重叠 {overlaps} 平方米。</translation>
    </message>
</context>
<context>
    <name>BenefitScenarios</name>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Finance tables (GeoPackage)</source>
        <translation>财务表（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件 (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Every table of the run in one GeoPackage, as the command line's landcoord benefits --out writes it (scenario_parties, scenario_lines, scenario_reconciliation and the finance_* tables), written whole or not at all: give it to the hearing pack (landcoord:hearingmaps, Finance tables) to print who pays, every party over time and the feasibility. Only with a scenarios file that has [scenario.finance]; without, nothing is written and the log says so.</source>
        <translation>本次运行的全部表写入一个 GeoPackage，与命令行 landcoord benefits --out 写出的相同（scenario_parties、scenario_lines、scenario_reconciliation 及 finance_* 各表），要么完整写出，要么不写：交给听证材料（landcoord:hearingmaps 的“财务表”），即可打印谁付费、各方随时间的收益和可行性。仅在方案文件含 [scenario.finance] 时写出；没有时不写任何内容，并在日志中说明。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Finance tables not written to {path}: no scenario of the scenarios file has a [scenario.finance] section, and the hearing pack's Finance tables need its tables.</source>
        <translation>财务表未写入 {path}：方案文件中没有任何方案含 [scenario.finance] 部分，而听证材料的“财务表”需要这些表。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="42"/>
        <source>Benefit-sharing scenarios (利益共享方案)</source>
        <translation>利益共享方案</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="45"/>
        <source>Lays the options of a project side by side: for each scenario of the scenarios file and each party (the government, each community, each rights-holder, the developer if any), the land area, floor area, money and property-swap floor area it receives. The money is made of compensation lines (land by legal status, buildings by legal status, cash in lieu of retained land, the buy-back), each with its rate and the source of that rate; the government pays them unless the scenario names other payers.

For every scenario the land the parties receive adds up to the land of the project, the floor area to the planned floor area taken, and the money to the compensation lines.

Rates are inputs from the officer: nothing is defaulted, and a missing rate stops the run with its status named. A figure is verified only if every rate and quota figure behind it is.

A scenario with a [scenario.finance] section also gives who pays each line (the implementing entity 实施主体, the government or the developer), the land premium (地价) from a premium rule set and a benchmark price table, each party&apos;s cash flow, the feasibility for the implementing entity (margin, break-even sale price) with a sensitivity table over price and FAR, the community&apos;s equity rent and each party&apos;s NPV over the years, and the public facilities and employment commitments.</source>
        <translation>将项目的各种方案并列比较：对方案文件中的每个方案和每一方（政府、各社区、各权利人，如有则包括开发商），列出其所得的土地面积、建筑面积、货币和产权置换面积。货币由各补偿明细构成（按用地状态的土地补偿、按合法状态的建筑补偿、留用地折算货币、回购款），每项均注明标准及其出处；除方案另行指定付款方外，由政府支付。

在每个方案中，各方所得土地之和等于项目土地面积，建筑面积之和等于所用的规划建筑面积，货币之和等于补偿明细之和。

补偿标准由经办人输入：不设任何默认值，缺少标准时运行将停止并指明对应的状态。只有其所依据的每项标准和指标数值均已核实时，该数值才算已核实。

含 [scenario.finance] 部分的方案还给出：每项补偿由谁支付（实施主体、政府或开发商）；依据地价规则集和基准地价表计算的地价；各方现金流；实施主体的可行性（成本利润率、盈亏平衡售价）及按售价和容积率的敏感性表；社区物业参股的租金收入和各方多年净现值；以及公共服务设施和就业承诺。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="60"/>
        <source>Parcel pieces (output of Affected area)</source>
        <translation>宗地图斑（受影响面积的输出）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="63"/>
        <source>The same pieces the quota was computed from.</source>
        <translation>计算指标时所用的同一批图斑。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="65"/>
        <source>Community field</source>
        <translation>社区字段</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="71"/>
        <source>The community field used for the quota (leave empty if the quota used none).</source>
        <translation>计算指标时所用的社区字段（如指标未用社区则留空）。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="73"/>
        <source>Quota trail (output of Retained-land quota)</source>
        <translation>指标计算过程（留用地指标的输出）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="76"/>
        <source>The trail table written by landcoord:retainedquota.</source>
        <translation>landcoord:retainedquota 输出的计算过程表。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="78"/>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="81"/>
        <source>Building footprints with floor area and legal status, compensated or swapped.</source>
        <translation>带建筑面积和合法状态的建筑基底，用于补偿或产权置换。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="83"/>
        <source>Floor area field of the buildings</source>
        <translation>建筑物的建筑面积字段</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="90"/>
        <source>Total floor area of each building in m² (建筑面积).</source>
        <translation>各栋建筑的总建筑面积（平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="92"/>
        <source>Legal status field of the buildings</source>
        <translation>建筑物的合法状态字段</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="98"/>
        <source>Legal status of each building (合法状态), the key of the floor rates.</source>
        <translation>各栋建筑的合法状态，用于对应建筑面积补偿标准。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="100"/>
        <source>Scenarios file (TOML)</source>
        <translation>方案文件（TOML）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="100"/>
        <source>Scenarios (*.toml)</source>
        <translation>方案（*.toml）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="103"/>
        <source>Per scenario: land rates by status, floor rates by building status, swap ratio and eligible statuses, share of retained land, cash in lieu, buy-back price, developer; each figure with its source and verified flag.</source>
        <translation>每个方案：按用地状态的土地补偿标准、按建筑合法状态的建筑面积补偿标准、置换比例及适用状态、留用地分配比例、折算货币、回购价格、开发商；每个数值均附出处和核实标记。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="111"/>
        <source>Official figures only</source>
        <translation>仅限正式数值</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="113"/>
        <source>Fail, writing nothing, unless every rate and quota figure used is verified.</source>
        <translation>除非所用的每项标准和指标数值均已核实，否则失败且不写出任何结果。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="115"/>
        <source>Scenarios by party</source>
        <translation>各方在各方案下的所得</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="118"/>
        <source>Table: scenario, project, party_type, party, land_area, floor_area, money, swap_floor_area, verified; money received is positive, the payers&apos; payments (the government&apos;s, the implementing entity&apos;s) negative.</source>
        <translation>表：scenario、project、party_type、party、land_area、floor_area、money、swap_floor_area、verified；所得货币为正，付款方（政府、实施主体）支付为负。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="125"/>
        <source>Compensation lines</source>
        <translation>补偿明细</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="132"/>
        <source>Who is paid what, for what, at which rate, from which source.</source>
        <translation>谁因什么获得多少补偿、按什么标准、依据什么出处。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="134"/>
        <source>Chart (PNG)</source>
        <translation>图表（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="134"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像（*.png）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="141"/>
        <source>Bar charts comparing the parties across the scenarios.</source>
        <translation>比较各方案下各方所得的条形图。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="162"/>
        <source>Choose the floor area field and the legal status field of the buildings.</source>
        <translation>请选择建筑物的建筑面积字段和合法状态字段。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="167"/>
        <source>pieces</source>
        <translation>图斑</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="170"/>
        <source>quota</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="171"/>
        <source>buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="219"/>
        <source>Scenario {s}, project {p}: land {l:.2f} of {pl:.2f} m² received; floor area {f:.2f} of {fa:.2f} m²; money {m:.2f} of {c:.2f} yuan of compensation lines ({ok})</source>
        <translation>方案 {s}，项目 {p}：{pl:.2f} 平方米土地中分得 {l:.2f} 平方米；建筑面积 {fa:.2f} 平方米中分得 {f:.2f} 平方米；补偿明细 {c:.2f} 元中分得 {m:.2f} 元（{ok}）</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="219"/>
        <source>balanced</source>
        <translation>平衡</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="219"/>
        <source>NOT balanced</source>
        <translation>不平衡</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="236"/>
        <source>NOT OFFICIAL: {why}</source>
        <translation>非正式结果：{why}</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="236"/>
        <source>the scenarios file is an example</source>
        <translation>方案文件是示例</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="236"/>
        <source>some rates or quota figures are not verified</source>
        <translation>部分标准或指标数值未核实</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Years of income</source>
        <translation>收益年数</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Years of rent the finance tables count; empty: each scenario&apos;s years.</source>
        <translation>财务表计算租金收入的年数；留空则用各方案的 years。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Feasibility</source>
        <translation>可行性</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Per scenario and project: the implementing entity&apos;s sales, cost, profit, margin, break-even sale price and verdict (feasible, not feasible, unknown).</source>
        <translation>按方案和项目：实施主体的销售收入、成本、利润、成本利润率、盈亏平衡售价和结论（feasible 可行、not feasible 不可行、unknown 未知）。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Cash flow by party</source>
        <translation>各方现金流</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Per party: sales, compensation, land premium, construction and payments received and paid, net now, annual rent and NPV.</source>
        <translation>按各方：收取和支付的销售收入、补偿、地价、建设费用和对价，当期净额，年租金和净现值。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Sensitivity over price and FAR</source>
        <translation>售价与容积率敏感性</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>The entity&apos;s profit and margin for each sale-price factor and FAR factor.</source>
        <translation>实施主体在各售价系数和容积率系数下的利润和成本利润率。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Income over time</source>
        <translation>多年收益</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Per party and year: cash, discount factor and discounted cash.</source>
        <translation>按各方和年份：现金、折现系数和折现后现金。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Facilities and jobs</source>
        <translation>配套设施与就业</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>The public facilities (type, floor area, builder, owner) and the employment commitments (count, years, employer).</source>
        <translation>公共服务设施（类型、建筑面积、建设方、产权方）和就业承诺（岗位数、年限、用人单位）。</translation>
    </message>
    <message>
        <location filename="../processing/benefit_scenarios.py" line="1"/>
        <source>Scenario {s}, project {p}: {verdict} for {entity}: margin {m}, break-even sale price {b} yuan/m²</source>
        <translation>方案 {s}，项目 {p}：对 {entity} 的结论 {verdict}：成本利润率 {m}，盈亏平衡售价 {b} 元/平方米</translation>
    </message>
</context>
<context>
    <name>CarveRetained</name>
    <message>
        <location filename="../processing/carve_retained.py" line="38"/>
        <source>Carve retained-land parcels</source>
        <translation>划定留用地地块</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="41"/>
        <source>Draws each community's retained land (留用地) inside the project: one parcel of exactly the quota area (within the tolerance), clear of every EXCLUDE zone (blocking control lines, planned roads, public facilities) and of road land, nowhere narrower than the minimum width, touching a road when roads are given, and next to the community's holdings when they are given. Parcels never overlap.

Width is measured between opposite edges: a parcel is at least W wide when moving its edges in by W/2 and out again gives it back; corners of 60° or more are kept. A quota comes as several parcels only when no block of usable land can hold it; the note field says why. When the quotas cannot be carved the algorithm stops with the shortfall in m² and where the developable land is; it never draws a smaller parcel.

Quota table: fields community and target_area (m²), or the summary or trail of 'Retained-land quota' (retained_area, or the retained_area rows of the trail). Road lines are buffered by half their width when they have a width field (宽度, width, road_width); otherwise they are road edges. Given the control lines (CONTROLS) and their kind field, the control-line registry decides which zones the parcels keep clear of (its blocking kinds) and which they lie inside (the urban development boundary); they keep clear of the kinds needing review by hand, such as the purple line, too where the quotas still fit that way, else they are carved as without them and a warning names the parcels on them. Areas and widths are in metres on the projection plane of the boundary (a geographic boundary is measured in its CGCS2000 Gauss-Krüger or UTM zone).</source>
        <translation>在项目范围内为各社区划定留用地：每个社区一个地块，面积恰为指标面积（在容差以内），避开所有排除区域（禁止类控制线、规划道路、公共设施）和道路用地，任何部位都不窄于最小宽度；给出道路时须与道路相接，给出社区现有用地时靠近现有用地。各地块互不重叠。

宽度按相对两边之间的距离量度：把地块各边向内收缩 W/2 再向外扩回后仍能复原，则该地块宽度至少为 W；60° 及以上的角会被保留。只有当没有任何一块可用土地容得下某个指标时，该指标才会拆成多个地块，备注字段会说明原因。若无法按指标划定，算法将停止并给出缺口面积（平方米）及可开发土地的位置；绝不会划出较小的地块。

指标表：含 community 和 target_area（平方米）字段的表，或“留用地指标”的汇总表或计算过程表（retained_area，或计算过程中的 retained_area 行）。带宽度字段（宽度、width、road_width）的道路线按一半宽度缓冲；否则视为道路边线。给出控制线（CONTROLS）及其类型字段时，由控制线登记表决定地块须避让哪些管控区（禁止类）、须位于哪些管控区之内（城镇开发边界）；需人工复核的类型（如紫线）在配额仍能满足时也予避让，否则按不避让划定，并以警告列出压占它们的地块。面积和宽度以米为单位，在项目范围的投影平面上量算（地理坐标系的范围在其 CGCS2000 高斯-克吕格或 UTM 分带中量算）。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="63"/>
        <source>Project boundary</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="64"/>
        <source>The project to carve: a layer with one project, or choose its features by the project field and a selection (Selected features only).</source>
        <translation>要划定的项目：只含一个项目的图层，或通过项目字段和选择集（仅选中要素）指定其要素。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="71"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="77"/>
        <source>Field with the project id: features with the same id form one project; with a project column in the quota table, each project gets its own quotas.</source>
        <translation>记录项目编号的字段：编号相同的要素构成一个项目；若指标表中有项目列，则各项目使用各自的指标。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="84"/>
        <source>Retained-land quotas</source>
        <translation>留用地指标</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="87"/>
        <source>Table with community and target_area (m²), or the quota trail of 'Retained-land quota' (community, item, value).</source>
        <translation>含 community 和 target_area（平方米）的表，或“留用地指标”的计算过程表（community、item、value）。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="94"/>
        <source>Land retained land may not use</source>
        <translation>留用地不得使用的土地</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="100"/>
        <source>Polygon layers of blocking control zones, planned roads and public-facility land: no parcel overlaps any of their features.</source>
        <translation>禁止类控制区、规划道路和公共设施用地的面图层：任何地块都不与其中的要素重叠。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="107"/>
        <source>Existing holdings of the communities</source>
        <translation>社区现有用地</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="110"/>
        <source>Each community&apos;s existing holdings; parcels are carved next to them.</source>
        <translation>各社区的现有用地；地块会靠近它们划定。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="112"/>
        <source>Community field of the holdings</source>
        <translation>现有用地的社区字段</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="118"/>
        <source>Field naming the community of each holding, as in the quota table.</source>
        <translation>记录各现有用地所属社区的字段，与指标表中的社区名称一致。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="120"/>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="126"/>
        <source>Road polygons, or road lines (buffered by half their width when the layer has a width field). Every parcel touches a road; road land is never carved.</source>
        <translation>道路面，或道路线（图层有宽度字段时按一半宽度缓冲）。每个地块都与道路相接；道路用地从不划入。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="134"/>
        <source>Minimum width (m)</source>
        <translation>最小宽度（米）</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="141"/>
        <source>No part of a parcel may be narrower than this, in metres.</source>
        <translation>地块任何部位都不得窄于此值（米）。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="143"/>
        <source>Area tolerance (m²)</source>
        <translation>面积容差（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="151"/>
        <source>Largest allowed difference between a parcel's area and its target, in m².</source>
        <translation>地块面积与其目标面积之间允许的最大差值（平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="153"/>
        <source>Retained-land parcels</source>
        <translation>留用地地块</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="180"/>
        <source>project boundary</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="190"/>
        <source>quotas</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="196"/>
        <source>EXCLUDE layer &apos;{name}&apos; is not a vector layer.</source>
        <translation>排除图层“{name}”不是矢量图层。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="202"/>
        <source>holdings</source>
        <translation>现有用地</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="209"/>
        <source>roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="263"/>
        <source>{community}: parcel {part}/{parts}, {area:.2f} m² (target {target:.2f} m²), compactness {pp:.3f}, min width {w:.2f} m</source>
        <translation>{community}：地块 {part}/{parts}，{area:.2f} 平方米（目标 {target:.2f} 平方米），紧凑度 {pp:.3f}，最小宽度 {w:.2f} 米</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Polygon layer of control zones of any kinds (控制线). The registry decides: parcels keep clear of the blocking kinds and lie inside the 'must lie inside' kinds (the urban development boundary); they keep clear of the review kinds (the purple line) too where the quotas still fit, else a warning names the parcels on them.</source>
        <translation>任意类型管控区（控制线）的面图层。由登记表决定：地块避让禁止类管控区，并位于“须位于其内”类管控区（城镇开发边界）之内；需人工复核的类型（紫线）在配额仍能满足时也予避让，否则以警告列出压占它们的地块。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Kind field</source>
        <translation>类型字段</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Field with the kind of each control zone, e.g. 生态保护红线, 生态红线, ECO_RED or 'ecological protection red line'.</source>
        <translation>记录各控制区类型的字段，例如 生态保护红线、生态红线、ECO_RED 或“ecological protection red line”。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Control-line registry</source>
        <translation>控制线登记表</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Your own registry file (TOML): local kinds, aliases or severities, merged over the registry shipped with landcoord. Default: the shipped registry.</source>
        <translation>您自己的登记表文件（TOML）：本地类型、别名或严重程度，合并到随 landcoord 提供的登记表之上。默认：随插件提供的登记表。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Choose the kind field of the control lines (KIND_FIELD).</source>
        <translation>请选择控制线的类型字段（KIND_FIELD）。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>No land to keep clear of was given (EXCLUDE) and no control lines (CONTROLS): the parcels avoid road land only. Give the control lines to keep clear of the blocking kinds of the control-line registry.</source>
        <translation>未给出须避让的用地（EXCLUDE），也未给出控制线（CONTROLS）：地块只避让道路用地。请给出控制线，以避让控制线登记表中的禁止类管控区。</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/carve_retained.py" line="0"/>
        <source>Control zones kept clear of: the default of the control-line registry shipped with landcoord.</source>
        <translation>避让的管控区：采用 landcoord 自带控制线登记表的默认设置。</translation>
    </message>
</context>
<context>
    <name>ChainModel</name>
    <message>
        <location filename="../processing/models/chain.py" line="43"/>
        <source>Land consolidation chain</source>
        <translation>土地整备全流程</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="44"/>
        <source>Project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="45"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="46"/>
        <source>Cadastral parcels</source>
        <translation>地籍宗地</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="47"/>
        <source>Parcel id field</source>
        <translation>宗地号字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="48"/>
        <source>Rights-holder field</source>
        <translation>权利人字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="49"/>
        <source>Legal status field</source>
        <translation>用地状态字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="50"/>
        <source>Community field</source>
        <translation>社区字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="51"/>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="52"/>
        <source>Floor area field of the buildings</source>
        <translation>建筑物的建筑面积字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="53"/>
        <source>Legal status field of the buildings</source>
        <translation>建筑物的合法状态字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="56"/>
        <source>Zoning (planned land use)</source>
        <translation>规划（规划用地）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="57"/>
        <source>Land-use class field of the zoning</source>
        <translation>规划图层的用地性质字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="60"/>
        <source>Rule set (TOML)</source>
        <translation>规则集（TOML）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="61"/>
        <source>Scenarios file (TOML)</source>
        <translation>方案文件（TOML）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="62"/>
        <source>Affected pieces</source>
        <translation>受影响图斑</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="63"/>
        <source>Affected area by holder</source>
        <translation>按权利人统计的受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="64"/>
        <source>Quota trail</source>
        <translation>指标计算过程</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="65"/>
        <source>Scenarios by party</source>
        <translation>各方在各方案下的所得</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="66"/>
        <source>Scenario chart</source>
        <translation>方案图表</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="67"/>
        <source>Land retained land may not use</source>
        <translation>留用地不得使用的土地</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="68"/>
        <source>Existing holdings of the communities</source>
        <translation>社区现有用地</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="71"/>
        <source>Community field of the holdings</source>
        <translation>现有用地的社区字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="72"/>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="73"/>
        <source>Minimum width (m)</source>
        <translation>最小宽度（米）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="74"/>
        <source>Retained-land parcels</source>
        <translation>留用地地块</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="75"/>
        <source>Control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="76"/>
        <source>Kind field</source>
        <translation>类型字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="77"/>
        <source>Conflicts of the retained land</source>
        <translation>留用地的冲突</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="78"/>
        <source>Conflict verdicts</source>
        <translation>冲突结论</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="79"/>
        <source>Project to print</source>
        <translation>要打印的项目</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="80"/>
        <source>Project name field</source>
        <translation>项目名称字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="81"/>
        <source>Holder type field</source>
        <translation>权利人类型字段</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="82"/>
        <source>Issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="83"/>
        <source>Resolution (DPI)</source>
        <translation>分辨率（DPI）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="84"/>
        <source>At most this many holder sheets (0: all)</source>
        <translation>权利人分页数上限（0：全部）</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="87"/>
        <source>Hearing pack</source>
        <translation>听证材料</translation>
    </message>
    <message>
        <location filename="../processing/models/chain.py" line="91"/>
        <source>The whole landcoord chain in one run, for batch processing and the Model Designer: affected area by rights-holder, the community of each piece joined from the cadastre, the retained-land quota with its trail, the benefit-sharing scenarios with their chart, the retained land carved to the quota clear of the land you exclude, its conflicts with the control lines of the one map, and the hearing pack (PDF) of the project you name. The same algorithms the dock runs step by step; open the model in the Model Designer to see or extend it.</source>
        <translation>一次运行 landcoord 全流程，适用于批处理和模型设计器：按权利人统计受影响面积，从地籍连接各图斑的社区，计算留用地指标及其过程，比较利益共享方案及其图表，避开您排除的土地按指标划定留用地，检查其与“一张图”控制线的冲突，并为您指定的项目生成听证材料（PDF）。与工作台逐步运行的是同一组算法；可在模型设计器中打开此模型查看或扩展。</translation>
    </message>
</context>
<context>
    <name>CityScreen</name>
    <message>
        <location filename="../processing/city_screen.py" line="1"/>
        <source>Area method</source>
        <translation>面积计算方法</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="1"/>
        <source>Planar, on the projection plane</source>
        <translation>平面，在投影平面上</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="1"/>
        <source>Ellipsoidal</source>
        <translation>椭球面</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="1"/>
        <source>Planar (legal area, default) or ellipsoidal area.</source>
        <translation>平面面积（法定面积，默认）或椭球面面积。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="1"/>
        <source>Areas: {statement}</source>
        <translation>面积：{statement}</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="68"/>
        <source>City screen: all projects against cadastre and control lines</source>
        <translation>全市筛查：全部项目对照地籍与控制线</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="71"/>
        <source>Screens every project of a plan at once against the whole cadastre and, when given, the control lines of the one map, and gives one summary row per project: boundary area, affected parcels and rights-holders, gaps, land claimed twice and, with control lines, the blocking, review and advisory conflict areas and a verdict.

The projects are split into spatially compact partitions (by the Hilbert distance of their extents); each partition gets the parcels and zones near its projects and runs on its own thread (Dask&apos;s threaded scheduler, every core). The figures are exactly those of &apos;Affected area by rights-holder&apos; and &apos;One-map conflicts&apos; run on all projects; parcels that cross partition edges are neither counted twice nor lost.

A cadastre or control layer that is a whole PostGIS table is read straight from the database, only the rows near the projects (the spatial filter runs in PostGIS). For a Dask cluster use the command line: landcoord city --scheduler tcp://HOST:8786.</source>
        <translation>一次性将计划中的每个项目对照全部地籍以及（如提供）“一张图”控制线进行筛查，每个项目给出一行汇总：项目范围面积、受影响宗地和权利人、空隙、重复主张的土地；提供控制线时另有禁止、需复核和提示三类冲突面积及结论。

项目按其范围的希尔伯特距离划分为空间上紧凑的分区；每个分区取得其项目附近的宗地和控制线范围，在各自的线程中运行（Dask 线程调度器，使用全部核心）。结果与对全部项目运行“按权利人统计受影响面积”和“一张图冲突检查”完全相同；跨越分区边界的宗地既不重复计算也不遗漏。

若地籍或控制线图层是完整的 PostGIS 表，则直接从数据库读取，只取项目附近的记录（空间筛选在 PostGIS 中执行）。如需使用 Dask 集群，请用命令行：landcoord city --scheduler tcp://HOST:8786。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="88"/>
        <source>Project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="89"/>
        <source>Polygon layer with all projects of the plan.</source>
        <translation>包含计划中全部项目的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="91"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="97"/>
        <source>Field with the project id; features with the same id form one project. Default: feature id.</source>
        <translation>项目编号所在字段；编号相同的要素构成一个项目。默认：要素编号。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="103"/>
        <source>Cadastral parcels</source>
        <translation>地籍宗地</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="104"/>
        <source>Polygon layer of cadastral parcels (宗地); a PostGIS table is read near the projects only.</source>
        <translation>地籍宗地面图层；若为 PostGIS 表，只读取项目附近的记录。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Parcel id field</source>
        <translation>宗地号字段</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Parcel id (宗地号).</source>
        <translation>宗地号。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Rights-holder field</source>
        <translation>权利人字段</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Rights-holder (权利人).</source>
        <translation>权利人。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Legal status field</source>
        <translation>用地状态字段</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="110"/>
        <source>Legal status of the land (用地状态).</source>
        <translation>土地的用地状态。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="125"/>
        <source>Control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="128"/>
        <source>Control zones of the one map (控制线), any kinds. Leave empty to skip the conflict check.</source>
        <translation>“一张图”中的各类控制线范围。留空则不做冲突检查。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="134"/>
        <source>Kind field</source>
        <translation>类型字段</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="137"/>
        <source>Field with the kind of each control zone (required with control lines).</source>
        <translation>每个控制线范围的类型所在字段（提供控制线时必填）。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="139"/>
        <source>Control-line registry</source>
        <translation>控制线登记表</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="147"/>
        <source>Your own registry file (TOML), merged over the shipped one.</source>
        <translation>您自己的登记表文件（TOML），叠加在随插件提供的登记表之上。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="149"/>
        <source>Sliver tolerance (m²)</source>
        <translation>碎片容差（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="157"/>
        <source>Conflicts smaller than this area are slivers and do not change a verdict.</source>
        <translation>小于此面积的冲突视为碎片，不改变结论。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="159"/>
        <source>Threads (0: every core)</source>
        <translation>线程数（0：使用全部核心）</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="159"/>
        <source>How many partitions run at once.</source>
        <translation>同时运行的分区数。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="159"/>
        <source>Partitions (0: automatic)</source>
        <translation>分区数（0：自动）</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="159"/>
        <source>How many partitions the projects are split into.</source>
        <translation>将项目划分成的分区数。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="173"/>
        <source>Project summaries</source>
        <translation>项目汇总</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="176"/>
        <source>One polygon per project: project_area, parcels, holders, affected_area, covered_area, gap_area, double_claimed_area, balanced and, with control lines, blocking_area, review_area, advisory_area, verdict and conflict_kinds (areas in m²), and measured: the CRS and method the areas were measured in.</source>
        <translation>每个项目一个面：project_area、parcels、holders、affected_area、covered_area、gap_area、double_claimed_area、balanced；提供控制线时另有 blocking_area、review_area、advisory_area、verdict 和 conflict_kinds（面积单位为平方米）；以及 measured：面积量算所用的坐标系和方法。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="184"/>
        <source>Affected area by project and holder</source>
        <translation>按项目和权利人统计受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="191"/>
        <source>One row per project and rights-holder: parcels, affected_area, project_share.</source>
        <translation>每个项目和权利人一行：parcels、affected_area、project_share。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="193"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="200"/>
        <source>One polygon per project and control-line kind in conflict (with control lines).</source>
        <translation>每个存在冲突的项目与控制线类型一个面（提供控制线时）。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="210"/>
        <source>&apos;{name}&apos; is read from PostGIS near the projects only.</source>
        <translation>“{name}”只从 PostGIS 读取项目附近的记录。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="234"/>
        <source>Choose the kind field of the control lines.</source>
        <translation>请选择控制线的类型字段。</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="237"/>
        <source>projects</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="240"/>
        <source>cadastre</source>
        <translation>地籍</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="250"/>
        <source>control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/city_screen.py" line="316"/>
        <source>{n} projects in {k} partitions, on the {where}</source>
        <translation>{n} 个项目分为 {k} 个分区，运行于 {where}</translation>
    </message>
</context>
<context>
    <name>ConflictsStep</name>
    <message>
        <location filename="../ui/conflicts_step.ui" line="9"/>
        <source>Where the proposal crosses the control lines of the “one map” (生态保护红线, 永久基本农田, 城镇开发边界, …), how badly and by which rule.</source>
        <translation>方案用地在何处与“一张图”的控制线（生态保护红线、永久基本农田、城镇开发边界……）相交、程度如何、依据哪条规则。</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="21"/>
        <source>Check</source>
        <translation>检查对象</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="34"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="47"/>
        <source>Id field</source>
        <translation>编号字段</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="60"/>
        <source>Sliver tolerance (m²)</source>
        <translation>碎片容差（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="83"/>
        <source>Own registry</source>
        <translation>自定义登记表</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="100"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="103"/>
        <source>Run this step in the background with the choices above.</source>
        <translation>按上面的选择在后台运行此步骤。</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="110"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="113"/>
        <source>Open the Processing dialog of this step&apos;s algorithm, filled in with the choices above.</source>
        <translation>打开此步骤算法的处理工具对话框，并按上面的选择预先填好。</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="148"/>
        <source>Search conflicts…</source>
        <translation>搜索冲突…</translation>
    </message>
    <message>
        <location filename="../ui/conflicts_step.ui" line="168"/>
        <source>Click a conflict to zoom to it and read its rule and source.</source>
        <translation>点击一条冲突可缩放至该处，并查看其规则和依据。</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="27"/>
        <source>The project boundary</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="28"/>
        <source>The carved retained land</source>
        <translation>已划定的留用地</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="29"/>
        <source>Another layer</source>
        <translation>其他图层</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="40"/>
        <source>Control-line registries (*.toml)</source>
        <translation>控制线登记表（*.toml）</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Proposal</source>
        <translation>方案用地</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Control line</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="42"/>
        <source>Source</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="58"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="109"/>
        <source>Carve the retained land first (step Retained land), or check another layer.</source>
        <translation>请先划定留用地（“留用地”步骤），或选择其他图层进行检查。</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="117"/>
        <source>Choose the layer to check.</source>
        <translation>请选择要检查的图层。</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="120"/>
        <source>Layer &apos;{layer}&apos; has no field &apos;{field}&apos;: choose the id field again.</source>
        <translation>图层“{layer}”中没有字段“{field}”：请重新选择编号字段。</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="150"/>
        <source>One-map conflicts</source>
        <translation>“一张图”冲突检查</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="150"/>
        <source>Conflict verdicts</source>
        <translation>冲突结论</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="183"/>
        <source>blocked</source>
        <translation>不通过</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="183"/>
        <source>to review</source>
        <translation>需复核</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="183"/>
        <source>clear</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="186"/>
        <source>{id}: {verdict} (blocking {b} m², review {r} m², advisory {a} m²)</source>
        <translation>{id}：{verdict}（禁止 {b} 平方米，需复核 {r} 平方米，提示 {a} 平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="195"/>
        <source>{n} conflicts.</source>
        <translation>{n} 处冲突。</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="208"/>
        <source>&lt;b&gt;{kind}&lt;/b&gt; — {severity}, {area} m²</source>
        <translation>&lt;b&gt;{kind}&lt;/b&gt; — {severity}，{area} 平方米</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="213"/>
        <source>Rule: {rule}</source>
        <translation>规则：{rule}</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="214"/>
        <source>Source: {source}</source>
        <translation>依据：{source}</translation>
    </message>
    <message>
        <location filename="../ui/step_conflicts.py" line="217"/>
        <source>Adjustment: {text}</source>
        <translation>调整途径：{text}</translation>
    </message>
</context>
<context>
    <name>ConsentProgress</name>
    <message>
        <location filename="../processing/consent_progress.py" line="105"/>
        <source>Consent progress by project</source>
        <translation>按项目统计的签约进度</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="55"/>
        <source>Ledger (project GeoPackage)</source>
        <translation>台账（项目 GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="55"/>
        <source>GeoPackage (*.gpkg *.GPKG)</source>
        <translation>GeoPackage 文件（*.gpkg *.GPKG）</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="61"/>
        <source>The GeoPackage holding the consultation ledger (tables ledger_*).</source>
        <translation>存放协商台账的 GeoPackage（ledger_* 表）。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="63"/>
        <source>Affected pieces</source>
        <translation>受影响图斑</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="66"/>
        <source>Affected pieces by project and rights-holder, with their area in m².</source>
        <translation>按项目和权利人划分的受影响图斑及其面积（平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Project field</source>
        <translation>项目字段</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Project id of each piece.</source>
        <translation>各图斑的项目编号。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Rights-holder field</source>
        <translation>权利人字段</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Rights-holder (权利人).</source>
        <translation>权利人。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Area field</source>
        <translation>面积字段</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="68"/>
        <source>Area of the piece counted by area, m²: held_area (land claimed by two parcels counted once, the figure of the quota, scenarios and hearing pack); piece_area when the pieces have no held_area.</source>
        <translation>按面积统计时计入的图斑面积（平方米）：held_area（两宗地重复主张的土地只计一次，即指标、方案和听证材料所用的面积）；图斑没有 held_area 时用 piece_area。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="101"/>
        <source>Only these projects</source>
        <translation>仅限以下项目</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="103"/>
        <source>Comma-separated project ids to report; default: every project of the pieces.</source>
        <translation>要统计的项目编号，以逗号分隔；默认：图斑中的全部项目。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="110"/>
        <source>Consent by rights-holder</source>
        <translation>按权利人的同意情况</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="119"/>
        <source>Pieces coloured by consent</source>
        <translation>按同意情况着色的图斑</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="147"/>
        <source>pieces</source>
        <translation>图斑</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="207"/>
        <source>Project {p}: {c} of {n} holders consented ({r:.1%}), {s} signed; {ac:.2f} of {a:.2f} m² consented ({ar:.1%})</source>
        <translation>项目 {p}：{n} 个权利人中 {c} 个已同意（{r:.1%}），{s} 个已签约；{a:.2f} 平方米中 {ac:.2f} 平方米已同意（{ar:.1%}）</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="41"/>
        <source>Reads the consultation ledger stored in the project's GeoPackage and the affected pieces (the output of 'Affected area by rights-holder') and reports, for every project, how many rights-holders have consented (agreed or signed) and signed, and which share of the affected AREA they hold: a project often needs a high share of area, not only of people.

A holder with land in a project but no consent record counts as not contacted. Area without a holder counts in the total and never as consented. Run it in batch mode to report many ledgers at once; one pieces layer may hold many projects.

It also gives the fingerprint code (校验码) of the ledger it read, e.g. LC1-42-3F2A-9C1B-77D0-E4A5: written into the minutes of a hearing, it lets anyone show later (landcoord consent verify) that the consultation record up to then was not altered.</source>
        <translation>读取存放在项目 GeoPackage 中的协商台账和受影响图斑（“按权利人统计受影响面积”的输出），对每个项目报告有多少权利人已同意（同意或签约）、多少已签约，以及他们所持受影响面积的比例：一个项目往往需要很高的面积比例，而不仅是人数比例。

在项目中有土地但没有同意记录的权利人计为未接触。没有权利人的面积计入总面积，但从不计为已同意。可用批处理模式一次统计多个台账；一个图斑图层可以包含多个项目。

同时给出所读台账的校验码，例如 LC1-42-3F2A-9C1B-77D0-E4A5：把它写入听证会记录，日后任何人都可以（用 landcoord consent verify）证明截至那时的协商记录没有被改动过。</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="128"/>
        <source>Ledger fingerprint code (校验码)</source>
        <translation>台账校验码</translation>
    </message>
    <message>
        <location filename="../processing/consent_progress.py" line="223"/>
        <source>Ledger fingerprint code (校验码): {code} ({n} audit entries, the last at {when} UTC).</source>
        <translation>台账校验码：{code}（{n} 条审计记录，最后一条的时间为 {when} UTC）。</translation>
    </message>
</context>
<context>
    <name>ConsultationStep</name>
    <message>
        <location filename="../ui/consultation_step.ui" line="9"/>
        <source>The consultation and consent ledger, kept inside a GeoPackage: who was visited and heard, what they asked for, and who agreed. Every change is recorded with its author and never overwritten.</source>
        <translation>协商与同意台账，保存在 GeoPackage 中：走访和听取了谁的意见、提出了什么诉求、谁已同意。每项修改都连同经办人一起记录，从不覆盖。</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="21"/>
        <source>Ledger</source>
        <translation>台账</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="34"/>
        <source>Officer</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="44"/>
        <source>(your user name)</source>
        <translation>（您的用户名）</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="47"/>
        <source>Recorded as the author of every change you make in the ledger.</source>
        <translation>您在台账中所做的每项修改都将以此记为经办人。</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="58"/>
        <source>Open or create the ledger</source>
        <translation>打开或新建台账</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="478"/>
        <source>Consent progress</source>
        <translation>签约进度</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="68"/>
        <source>Compute the consent progress of this project and colour the holders&apos; pieces by consent status.</source>
        <translation>计算本项目的签约进度，并按同意状态为权利人的图斑着色。</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="75"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="150"/>
        <source>Search holders…</source>
        <translation>搜索权利人…</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="77"/>
        <source>Consent</source>
        <translation>同意状态</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="77"/>
        <source>Option chosen</source>
        <translation>所选方案</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="198"/>
        <source>Record the consent of the selected holder</source>
        <translation>记录所选权利人的同意状态</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="205"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="218"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="231"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="238"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="251"/>
        <source>Record an event with the selected holder</source>
        <translation>记录与所选权利人的协商事件</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="61"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件（*.gpkg）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="77"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="77"/>
        <source>Rights-holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="77"/>
        <source>Affected area (m²)</source>
        <translation>受影响面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="91"/>
        <source>Consultation</source>
        <translation>协商</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="95"/>
        <source>Not contacted (未接触)</source>
        <translation>未接触</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="96"/>
        <source>Contacted (已接触)</source>
        <translation>已接触</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="97"/>
        <source>Negotiating (协商中)</source>
        <translation>协商中</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="98"/>
        <source>Agreed (已同意)</source>
        <translation>已同意</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="99"/>
        <source>Signed (已签约)</source>
        <translation>已签约</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="100"/>
        <source>Refused (拒绝)</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="105"/>
        <source>Home visit (入户走访)</source>
        <translation>入户走访</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="106"/>
        <source>Survey (民意调查)</source>
        <translation>民意调查</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="107"/>
        <source>Villager-representative meeting (村民代表会议)</source>
        <translation>村民代表会议</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="108"/>
        <source>Hearing (听证会)</source>
        <translation>听证会</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="109"/>
        <source>Forum (座谈会)</source>
        <translation>座谈会</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="109"/>
        <source>Solicited comments (意见征询)</source>
        <translation>意见征询</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="109"/>
        <source>Expert or scheme review (论证会)</source>
        <translation>论证会</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="109"/>
        <source>Mediation (调解)</source>
        <translation>调解</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="109"/>
        <source>Other (其他)</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="192"/>
        <source>Ledger {path}: {added} holders added from the cadastre, {known} already known.</source>
        <translation>台账 {path}：从地籍新增 {added} 个权利人，已有 {known} 个。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="459"/>
        <source>Open or create the ledger first.</source>
        <translation>请先打开或新建台账。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="456"/>
        <source>Run the Affected area step first: consent is counted on its pieces.</source>
        <translation>请先运行“受影响面积”步骤：同意情况按其图斑统计。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="243"/>
        <source>Open or create the ledger to see and record consent.</source>
        <translation>打开或新建台账后可查看和记录同意情况。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="253"/>
        <source>{project}: {c} of {n} holders consented ({rate}), {s} signed; {ac} of {a} m² consented ({arate}).</source>
        <translation>{project}：{n} 个权利人中 {c} 个已同意（{rate}），{s} 个已签约；{a} 平方米中 {ac} 平方米已同意（{arate}）。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="302"/>
        <source>Select a rights-holder in the table first.</source>
        <translation>请先在表中选择一个权利人。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="342"/>
        <source>Someone else changed the consent of {holder} since the table was loaded; nothing was written. The table is reloaded: check it and record your change again. ({detail})</source>
        <translation>自表格加载以来，已有他人修改了{holder}的同意状态；本次未写入任何内容。表格已重新加载：请核对后重新记录您的修改。（{detail}）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="349"/>
        <source>{holder}: {status} recorded.</source>
        <translation>{holder}：已记录为“{status}”。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="372"/>
        <source>Event {id} recorded with {holder}.</source>
        <translation>已记录与{holder}的事件 {id}。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="477"/>
        <source>Pieces by consent status</source>
        <translation>按同意状态着色的图斑</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="89"/>
        <source>Import a spreadsheet…</source>
        <translation>导入表格…</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="92"/>
        <source>Import consent records from a CSV or XLSX sheet (UTF-8 or GBK), with a preview of every row.</source>
        <translation>从 CSV 或 XLSX 表格（UTF-8 或 GBK）导入同意记录，并逐行预览。</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="99"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="102"/>
        <source>Export the consent table (CSV) or the whole ledger (XLSX).</source>
        <translation>导出同意情况表（CSV）或整个台账（XLSX）。</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="109"/>
        <source>Mask individuals&apos; names</source>
        <translation>个人姓名打码</translation>
    </message>
    <message>
        <location filename="../ui/consultation_step.ui" line="115"/>
        <source>For a public hearing: individual rights-holders&apos; names are masked in the export.</source>
        <translation>用于公开听证：导出时个人权利人的姓名打码。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="400"/>
        <source>The ledger changed since the preview; nothing was imported. Preview it again. ({detail})</source>
        <translation>预览之后台账已有变动；未导入任何内容。请重新预览。（{detail}）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="406"/>
        <source>{n} consent records imported, {same} unchanged, {bad} rows refused.</source>
        <translation>已导入 {n} 条同意记录，{same} 条无变化，{bad} 行被拒绝。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="419"/>
        <source>Import consent from a spreadsheet</source>
        <translation>从表格导入同意情况</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="419"/>
        <source>Spreadsheets (*.csv *.xlsx)</source>
        <translation>表格（*.csv *.xlsx）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="437"/>
        <source>Ledger exported to {path}.</source>
        <translation>台账已导出至 {path}。</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="445"/>
        <source>Export the ledger</source>
        <translation>导出台账</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="445"/>
        <source>CSV (*.csv);;Excel workbook (*.xlsx)</source>
        <translation>CSV 文件（*.csv）;;Excel 工作簿（*.xlsx）</translation>
    </message>
    <message>
        <location filename="../ui/step_consultation.py" line="268"/>
        <source>Ledger fingerprint code (校验码) for the hearing minutes: {code} ({n} audit entries).</source>
        <translation>供写入听证会记录的台账校验码：{code}（{n} 条审计记录）。</translation>
    </message>
</context>
<context>
    <name>HearingMaps</name>
    <message>
        <location filename="../processing/hearing_maps.py" line="64"/>
        <source>Hearing maps (PDF pack)</source>
        <translation>听证图件（PDF 材料）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="103"/>
        <source>Project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="103"/>
        <source>Polygon layer with the project boundaries (项目范围).</source>
        <translation>项目范围的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="107"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="107"/>
        <source>Field with the project id (项目编号); default: the feature id.</source>
        <translation>记录项目编号的字段；默认：要素 ID。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="116"/>
        <source>Project to print</source>
        <translation>要打印的项目</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="116"/>
        <source>The project id to print; may be left empty when the layer holds one project.</source>
        <translation>要打印的项目编号；图层中只有一个项目时可留空。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="120"/>
        <source>Project name field</source>
        <translation>项目名称字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="120"/>
        <source>Field with the project's name (项目名称), printed in the title block.</source>
        <translation>记录项目名称的字段，打印在图签中。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="129"/>
        <source>Cadastral parcels</source>
        <translation>地籍宗地</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="129"/>
        <source>Polygon layer of cadastral parcels (宗地): the base of the maps.</source>
        <translation>地籍宗地的面图层：图件的底图。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Parcel id field</source>
        <translation>宗地号字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Parcel id (宗地号).</source>
        <translation>宗地号。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Rights-holder field</source>
        <translation>权利人字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Rights-holder (权利人).</source>
        <translation>权利人。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Holder type field</source>
        <translation>权利人类型字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Holder type (权利人类型: 个人 / 社区股份合作公司 / 国有单位 ...): decides who is an individual whose name is masked. Without it the name decides.</source>
        <translation>权利人类型（个人 / 社区股份合作公司 / 国有单位……）：决定谁是需要姓名打码的个人。没有该字段时按姓名判断。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Legal status field</source>
        <translation>用地状态字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="133"/>
        <source>Legal status of the land (用地状态).</source>
        <translation>土地的用地状态。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="158"/>
        <source>Affected pieces (from Affected area)</source>
        <translation>受影响图斑（来自受影响面积）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="158"/>
        <source>The &apos;Affected pieces&apos; output of landcoord:affectedarea (project, parcel_id, holder, status, piece_area, parcel_area, parcel_share). Computed from the boundaries and parcels if empty.</source>
        <translation>landcoord:affectedarea 的“受影响图斑”输出（project、parcel_id、holder、status、piece_area、parcel_area、parcel_share）。留空时根据项目范围和宗地计算。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="167"/>
        <source>Control lines of the one map</source>
        <translation>“一张图”控制线</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="167"/>
        <source>Control zones (生态保护红线, 道路红线 ...), drawn on the maps.</source>
        <translation>控制区（生态保护红线、道路红线……），绘制在图上。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="173"/>
        <source>Control kind field</source>
        <translation>控制线类型字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="173"/>
        <source>Field with each control zone's kind (类型); needed with the control lines.</source>
        <translation>记录各控制区类型的字段；提供控制线时必需。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="182"/>
        <source>Control name field</source>
        <translation>控制线名称字段</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="182"/>
        <source>Field with each control zone's name (名称).</source>
        <translation>记录各控制区名称的字段。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="191"/>
        <source>Carved retained land</source>
        <translation>已划定的留用地</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="191"/>
        <source>Retained-land parcels from landcoord:carveretained (community, target_area, area, deviation, compactness, min_width, frontage, distance_to_holdings).</source>
        <translation>landcoord:carveretained 输出的留用地地块（community、target_area、area、deviation、compactness、min_width、frontage、distance_to_holdings）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="200"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="200"/>
        <source>Conflicts from landcoord:planconflicts (input_id, kind, severity, conflict_area, input_share, rule, source).</source>
        <translation>landcoord:planconflicts 输出的冲突（input_id、kind、severity、conflict_area、input_share、rule、source）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="207"/>
        <source>Conflict verdicts</source>
        <translation>冲突结论</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="207"/>
        <source>Per-input verdicts of the conflict check (input_id, blocking_area, ..., verdict).</source>
        <translation>冲突检查中各输入的结论（input_id、blocking_area、……、verdict）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="213"/>
        <source>Retained-land quota trail</source>
        <translation>留用地指标计算过程</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="213"/>
        <source>The quota trail (project, community, item, quantity, value, unit, rule, source, verified); unverified values are printed as such.</source>
        <translation>指标计算过程（project、community、item、quantity、value、unit、rule、source、verified）；未核实的数值按未核实打印。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="222"/>
        <source>Benefit-sharing scenarios (parties)</source>
        <translation>利益共享方案（各方）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="222"/>
        <source>Figures per scenario and party (scenario, party, party_type, land_area, floor_area, money, swap_floor_area, verified).</source>
        <translation>各方案、各方的数值（scenario、party、party_type、land_area、floor_area、money、swap_floor_area、verified）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="231"/>
        <source>Scenario comparison chart (PNG)</source>
        <translation>方案比较图（PNG）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="231"/>
        <source>The chart written by the benefit-sharing step.</source>
        <translation>利益共享步骤输出的图表。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="246"/>
        <source>Finance tables (output of the benefit-sharing step)</source>
        <translation>财务表（利益共享步骤的输出）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="246"/>
        <source>GeoPackage or CSV (*.gpkg *.GPKG *.csv *.CSV)</source>
        <translation>GeoPackage 或 CSV（*.gpkg *.GPKG *.csv *.CSV）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="246"/>
        <source>The GeoPackage (or the .csv with the _finance_* tables beside it) the benefit-sharing step wrote with a scenarios file that has [scenario.finance]: the benefit sheet then shows every party&apos;s land, floor area, cash now and income later (NPV) under each scenario, reconciled, who pays what, and the implementing entity&apos;s feasibility verdict.</source>
        <translation>利益共享步骤用含 [scenario.finance] 的方案文件写出的 GeoPackage（或 .csv，其旁边有 _finance_* 各表）：利益共享图页随即列出各方案下每一方的用地、建筑面积、当期现金与远期收益（净现值），逐方案对账，以及谁出资、实施主体的可行性结论。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="253"/>
        <source>Issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="253"/>
        <source>Printed in the title block (出具单位).</source>
        <translation>打印在图签中（出具单位）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="259"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="259"/>
        <source>Printed in the title block; default: today.</source>
        <translation>打印在图签中；默认：今天。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="263"/>
        <source>Paper size</source>
        <translation>纸张大小</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="263"/>
        <source>Landscape A3 (default) or A4.</source>
        <translation>横向 A3（默认）或 A4。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="269"/>
        <source>Resolution (DPI)</source>
        <translation>分辨率（DPI）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="269"/>
        <source>Resolution of raster content and of the PNG pages.</source>
        <translation>栅格内容和 PNG 页面的分辨率。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="281"/>
        <source>Internal version (full names, NOT for public display)</source>
        <translation>内部版本（显示全名，不得公开展示）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="281"/>
        <source>Print individuals&apos; full names; every page is stamped &apos;not for public display&apos;. ID-card and phone numbers are never printed.</source>
        <translation>打印个人全名；每页加盖“不得公开展示”。身份证号和电话号码从不打印。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="292"/>
        <source>Layout templates folder</source>
        <translation>版式模板文件夹</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="292"/>
        <source>A folder with your own overview.qpt, holder.qpt, benefit.qpt and/or conflicts.qpt; items are filled by id (see the documentation).</source>
        <translation>存放您自己的 overview.qpt、holder.qpt、benefit.qpt 和/或 conflicts.qpt 的文件夹；各项按 ID 填充（见文档）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="305"/>
        <source>Also write one PNG per page</source>
        <translation>同时为每页输出 PNG</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="305"/>
        <source>PNGs go to a folder beside the PDF, named after it.</source>
        <translation>PNG 写入 PDF 旁边以其命名的文件夹。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="312"/>
        <source>At most this many holder sheets (0: all)</source>
        <translation>权利人分页数上限（0：全部）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="312"/>
        <source>Largest affected area first; the overview lists every holder.</source>
        <translation>按受影响面积从大到小；总图列出全部权利人。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="324"/>
        <source>Hearing pack</source>
        <translation>听证材料</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="324"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件（*.pdf）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="327"/>
        <source>The PDF to write.</source>
        <translation>要写出的 PDF。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="329"/>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="372"/>
        <source>project boundaries</source>
        <translation>项目范围</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="373"/>
        <source>cadastre</source>
        <translation>地籍</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="379"/>
        <source>affected pieces</source>
        <translation>受影响图斑</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="381"/>
        <source>Computing the affected area</source>
        <translation>正在计算受影响面积</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>carved retained land</source>
        <translation>已划定的留用地</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>conflict verdicts</source>
        <translation>冲突结论</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>quota trail</source>
        <translation>指标计算过程</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="393"/>
        <source>scenarios</source>
        <translation>方案</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="421"/>
        <source>Rendering the hearing pack</source>
        <translation>正在生成听证材料</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="435"/>
        <source>{n} pages written to {path} ({version} version).</source>
        <translation>已写出 {n} 页至 {path}（{version}版本）。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="435"/>
        <source>public</source>
        <translation>公开</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="435"/>
        <source>INTERNAL</source>
        <translation>内部</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="71"/>
        <source>Writes the print-ready pack of one project for a public hearing (听证会) as ONE multi-page PDF: an overview sheet (the project on its parcels coloured by holder, control lines, carved retained land, title block, legend, scale bar, north arrow, affected area per holder), one sheet per rights-holder (a QGIS atlas: their pieces highlighted, their parcels, their figures under each benefit-sharing scenario), a benefit-sharing sheet (chart, every party under every scenario, the retained-land quota trail; with FINANCE also who pays what, every party's land, floor area, cash now and income later, and the implementing entity's feasibility) and a conflict sheet (every conflict with kind, severity, area, rule and source); with the ledger, a last monitoring sheet (the project's indicators on the hearing day, the duties of its stage, the indicators month by month and their chart). Tables too long for a sheet continue on continuation pages.

Privacy: the public version (default) masks individual rights-holders' names (张伟 → 张*, 欧阳娜娜 → 欧阳**); community companies and state bodies are shown in full. The holder type field decides who is an individual; without it the name does. ID-card and phone numbers are never printed, in either version. The internal version shows full names and is stamped 'not for public display' on every page.

With the consultation ledger, the overview sheet also prints the ledger's fingerprint code (校验码) and the project's consent rates, so that the public pack carries the code.

Figures resting on unverified rule values are marked 未核实 (unverified) in their cells and are not official. Chinese text needs a Chinese font: Microsoft YaHei or SimHei on Windows (shipped with Windows), PingFang SC on macOS, Noto Sans CJK SC on Linux (Debian and Ubuntu package fonts-noto-cjk); without one the run stops and says what to install.</source>
        <translation>将一个项目用于公开听证（听证会）的可打印材料写成一个多页 PDF：总图（按权利人着色的宗地上的项目范围、控制线、已划定的留用地、图签、图例、比例尺、指北针、各权利人受影响面积表），每个权利人一页（QGIS 图集：突出显示其图斑、列出其宗地以及各利益共享方案下的数值），利益共享页（图表、各方案下的各方所得、留用地指标计算过程；给出 FINANCE 时还有谁付什么、各方的土地、建筑面积、当期现金和今后收益，以及实施主体的可行性）和冲突页（每处冲突的类型、严重程度、面积、规则和依据）；有台账时，最后一页为动态监测页（项目在听证日的各项指标、所处阶段的职责、逐月指标及其图表）。一页放不下的表格在续页中继续。

隐私：公开版本（默认）对个人权利人姓名打码（张伟 → 张*，欧阳娜娜 → 欧阳**）；社区股份合作公司和国有单位全称显示。由权利人类型字段判断谁是个人；没有该字段时按姓名判断。身份证号和电话号码在任何版本中都不打印。内部版本显示全名，并在每页加盖“不得公开展示”。

有协商台账时，总图还印出台账校验码和项目的同意率，使公开的图册带有该校验码。

依赖未核实规则数值的数字在单元格中标为“未核实”，不是正式结果。中文文字需要中文字体：Windows 上为微软雅黑或黑体（Windows 自带），macOS 上为苹方（PingFang SC），Linux 上为 Noto Sans CJK SC（Debian 和 Ubuntu 软件包 fonts-noto-cjk）；没有时运行会停止并说明需要安装什么。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="237"/>
        <source>Consultation ledger (project GeoPackage)</source>
        <translation>协商台账（项目 GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="237"/>
        <source>GeoPackage (*.gpkg *.GPKG)</source>
        <translation>GeoPackage 文件（*.gpkg *.GPKG）</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="237"/>
        <source>The GeoPackage holding the consultation ledger (tables ledger_*), usually the project's own. The overview sheet then prints the ledger's fingerprint code (校验码), its number of audit entries and the time of the last, and the project's consent rates by holders and by affected area, all read at one moment: anyone can later check with 'landcoord consent verify' that the record up to the hearing was not altered.</source>
        <translation>保存协商台账（ledger_* 表）的 GeoPackage，通常就是项目自己的 GeoPackage。总图上将印出台账校验码、审计记录条数和最后一条的时间，以及项目按权利人和按受影响面积的同意率，均在同一时刻读取：任何人日后都可以用“landcoord consent verify”核验听证会前的记录未被改动。</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="330"/>
        <source>Ledger fingerprint code (校验码)</source>
        <translation>台账校验码</translation>
    </message>
    <message>
        <location filename="../processing/hearing_maps.py" line="445"/>
        <source>Ledger fingerprint code (校验码) printed on the overview: {code} ({n} audit entries).</source>
        <translation>总图上印有台账校验码：{code}（{n} 条审计记录）。</translation>
    </message>
</context>
<context>
    <name>HearingStep</name>
    <message>
        <location filename="../ui/hearing_step.ui" line="9"/>
        <source>The print-ready pack for the public hearing: an overview sheet, one sheet per rights-holder, the benefit-sharing page and the conflict page, in one PDF. Individuals&apos; names are masked unless you choose the internal version.</source>
        <translation>可直接打印的公开听证材料：总图、每个权利人一页、利益共享页和冲突页，合成一个 PDF。除非选择内部版本，个人姓名均打码。</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="21"/>
        <source>PDF file</source>
        <translation>PDF 文件</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="34"/>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="47"/>
        <source>Resolution (dpi)</source>
        <translation>分辨率（dpi）</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="70"/>
        <source>Issuing office</source>
        <translation>出具单位</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="112"/>
        <source>Internal version: names unmasked, marked “not for public display” on every page</source>
        <translation>内部版本：姓名不打码，每页标注“不得公开展示”</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="123"/>
        <source>Make the hearing pack</source>
        <translation>生成听证材料</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="126"/>
        <source>Run this step in the background with the choices above.</source>
        <translation>按上面的选择在后台运行此步骤。</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="133"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="136"/>
        <source>Open the Processing dialog of this step&apos;s algorithm, filled in with the choices above.</source>
        <translation>打开此步骤算法的处理工具对话框，并按上面的选择预先填好。</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="143"/>
        <source>Open the PDF</source>
        <translation>打开 PDF</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="52"/>
        <source>Hearing</source>
        <translation>听证</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="36"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件（*.pdf）</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="38"/>
        <source>A3 landscape</source>
        <translation>A3 横向</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="39"/>
        <source>A4 landscape</source>
        <translation>A4 横向</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="108"/>
        <source>The hearing pack is for one project: choose it on the Project step ({values}).</source>
        <translation>听证材料针对单个项目：请在“项目”步骤中选择（{values}）。</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="165"/>
        <source>{pages} pages written to {path}.</source>
        <translation>已写出 {pages} 页至 {path}。</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="169"/>
        <source>INTERNAL version: not for public display.</source>
        <translation>内部版本：不得公开展示。</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="182"/>
        <source>Make the hearing pack first.</source>
        <translation>请先生成听证材料。</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="83"/>
        <source>Holder sheets</source>
        <translation>权利人分页</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="102"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="105"/>
        <source>At most this many rights-holder sheets, the largest affected area first (all: every holder).</source>
        <translation>最多输出多少个权利人分页，按受影响面积从大到小（全部：每个权利人一页）。</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="95"/>
        <source>The hearing pack is made without the ledger&apos;s fingerprint code: {error}</source>
        <translation>听证会图册将不印台账校验码：{error}</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="172"/>
        <source>Ledger fingerprint code (校验码) printed on the overview: {code}.</source>
        <translation>总图上印有台账校验码：{code}。</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="112"/>
        <source>Finance tables</source>
        <translation>财务表</translation>
    </message>
    <message>
        <location filename="../ui/hearing_step.ui" line="122"/>
        <source>Optional: the benefits GeoPackage (or its .csv with the _finance_* tables beside it) written by landcoord benefits with a scenarios file that has [scenario.finance]. The benefit sheet then shows who pays what, every party&apos;s land, floor area, cash now and income over time (NPV), and the implementing entity&apos;s feasibility. Empty: no finance tables.</source>
        <translation>可选：landcoord benefits 用含 [scenario.finance] 的方案文件写出的利益共享 GeoPackage（或其 .csv，_finance_* 各表在其旁）。利益共享页随即列出谁付什么，各方的用地、建筑面积、即期现金和随时间的收益（净现值），以及实施主体的可行性。留空：不印财务表。</translation>
    </message>
    <message>
        <location filename="../ui/step_hearing.py" line="44"/>
        <source>Benefits tables (*.gpkg *.csv *.xlsx)</source>
        <translation>利益共享表（*.gpkg *.csv *.xlsx）</translation>
    </message>
    <message>
        <source>The finance tables &apos;{path}&apos; do not exist: choose the output of landcoord benefits again under Finance tables, or clear it.</source>
        <translation>财务表“{path}”不存在：请在“财务表”处重新选择 landcoord benefits 的输出，或将其清空。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../ui/import_dialog.ui" line="6"/>
        <source>Import consent from a spreadsheet</source>
        <translation>从表格导入同意情况</translation>
    </message>
    <message>
        <location filename="../ui/import_dialog.ui" line="25"/>
        <source>Search rows…</source>
        <translation>搜索行…</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Holder in the sheet</source>
        <translation>表中的权利人</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Rights-holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Now</source>
        <translation>当前状态</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="63"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="81"/>
        <source>{source}: {set} rows to record, {same} unchanged, {bad} refused (not imported; see the reason of each).</source>
        <translation>{source}：{set} 行将被记录，{same} 行无变化，{bad} 行被拒绝（不导入；原因见各行）。</translation>
    </message>
    <message>
        <location filename="../ui/panels.py" line="88"/>
        <source>Import {n} rows</source>
        <translation>导入 {n} 行</translation>
    </message>
</context>
<context>
    <name>LandcoordAlgorithm</name>
    <message>
        <location filename="../processing/conventions.py" line="36"/>
        <source>1 Analysis</source>
        <translation>1 分析</translation>
    </message>
    <message>
        <location filename="../processing/conventions.py" line="37"/>
        <source>2 Allocation</source>
        <translation>2 配置/测算</translation>
    </message>
    <message>
        <location filename="../processing/conventions.py" line="38"/>
        <source>3 Consultation</source>
        <translation>3 协商</translation>
    </message>
    <message>
        <location filename="../processing/conventions.py" line="39"/>
        <source>4 Hearing</source>
        <translation>4 听证</translation>
    </message>
    <message>
        <location filename="../processing/conventions.py" line="202"/>
        <source>Layer &apos;{layer}&apos; was loaded unstyled: {why}</source>
        <translation>图层“{layer}”已加载，但未能应用样式：{why}</translation>
    </message>
</context>
<context>
    <name>LandcoordDecision</name>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>Record the decision in the ledger (project GeoPackage)</source>
        <translation>在台账中记录该决定（项目 GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>GeoPackage (*.gpkg *.GPKG)</source>
        <translation>GeoPackage 文件（*.gpkg *.GPKG）</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>The GeoPackage holding the project's ledger: the run is recorded there as a decision (what was set, with the fingerprint of the rule files; the results; who proposed it and who approved it), audited and covered by the ledger's fingerprint. Without an approver it is recorded as proposed and the output says 'not approved': nothing is official.</source>
        <translation>存有项目台账的 GeoPackage：本次计算作为一项决定记入其中（所设定的内容及规则文件的校验码；计算结果；提出人与审批人），留痕审计，并由台账校验码覆盖。未给出审批人时记为“已提出”，输出注明“未审批”：任何结果都不是正式结果。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>Proposed by</source>
        <translation>提出人</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>The officer proposing the decision; default LANDCOORD_OFFICER or the OS user.</source>
        <translation>提出该决定的经办人；默认取 LANDCOORD_OFFICER 或操作系统用户。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>The officer approving the decision; where the procedure says four-eyes, not the one proposing it (refused before any work).</source>
        <translation>审批该决定的人员；程序规定双人审核（四眼原则）时不能是提出人（否则在计算前即被拒绝）。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>'Proposed by' and 'Approved by' need the ledger the decision is recorded in.</source>
        <translation>“提出人”和“审批人”需要给出记录该决定的台账。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>Decision {id} recorded in the ledger: proposed by {proposer}, approved by {approver}.</source>
        <translation>决定 {id} 已记入台账：由 {proposer} 提出，{approver} 审批。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>Decision {id} recorded in the ledger as PROPOSED by {proposer}, NOT APPROVED: its results are not official until an officer approves it.</source>
        <translation>决定 {id} 已作为 {proposer} 的提议记入台账，未经审批：审批之前其结果不是正式结果。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>The same settings and result figures as decision {id} of the ledger: proposed by {proposer}, approved by {approver} on {day} (decision {id}); nothing new recorded.</source>
        <translation>与台账中决定 {id} 的设置和结果数值相同：由 {proposer} 提出，{approver} 于 {day} 审批（决定 {id}）；未记录新内容。</translation>
    </message>
    <message>
        <location filename="../processing/decision.py" line="1"/>
        <source>The same settings and result figures as decision {id} of the ledger, still PROPOSED by {proposer}, NOT APPROVED: its results are not official until an officer approves it (landcoord decision approve); nothing new recorded.</source>
        <translation>与台账中决定 {id} 的设置和结果数值相同，仍是 {proposer} 的提议，未经审批：审批之前其结果不是正式结果（landcoord decision approve）；未记录新内容。</translation>
    </message>
</context>
<context>
    <name>LandcoordDock</name>
    <message>
        <location filename="../ui/dock.py" line="143"/>
        <source>Consolidation project {n}</source>
        <translation>整备项目 {n}</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="172"/>
        <source>Wait for the running step to finish before switching projects.</source>
        <translation>请等待正在运行的步骤完成后再切换项目。</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="229"/>
        <source>Rename consolidation project</source>
        <translation>重命名整备项目</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="229"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="237"/>
        <source>Remove consolidation project</source>
        <translation>移除整备项目</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="237"/>
        <source>Remove &apos;{name}&apos; and its result layers from this QGIS project? Result files stay on disk.</source>
        <translation>从本 QGIS 工程中移除“{name}”及其成果图层？成果文件仍保留在磁盘上。</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="290"/>
        <source>Running: {task}</source>
        <translation>正在运行：{task}</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="302"/>
        <source>Canceled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="304"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="306"/>
        <source>Failed: see the message bar.</source>
        <translation>失败：请查看消息栏。</translation>
    </message>
</context>
<context>
    <name>LandcoordDockBase</name>
    <message>
        <location filename="../ui/dock.ui" line="6"/>
        <source>Land consolidation</source>
        <translation>土地整备</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="15"/>
        <source>Consolidation project</source>
        <translation>整备项目</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="31"/>
        <source>The consolidation project the steps work on; one QGIS project may hold several.</source>
        <translation>各步骤所处理的整备项目；一个 QGIS 工程可以包含多个。</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="38"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="41"/>
        <source>Add a consolidation project to this QGIS project</source>
        <translation>在本 QGIS 工程中新增一个整备项目</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="48"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="51"/>
        <source>Rename this consolidation project</source>
        <translation>重命名此整备项目</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="58"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="61"/>
        <source>Remove this consolidation project and its result layers from the QGIS project (files stay on disk)</source>
        <translation>从 QGIS 工程中移除此整备项目及其成果图层（文件保留在磁盘上）</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="92"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/dock.ui" line="95"/>
        <source>Cancel the running step; nothing is changed</source>
        <translation>取消正在运行的步骤；不会做任何改动</translation>
    </message>
</context>
<context>
    <name>LandcoordPlugin</name>
    <message>
        <location filename="../plugin.py" line="90"/>
        <source>landcoord</source>
        <translation>landcoord</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="83"/>
        <source>Land consolidation workspace</source>
        <translation>土地整备工作台</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="149"/>
        <source>&amp;landcoord</source>
        <translation>&amp;landcoord 土地整备</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="85"/>
        <source>Show or hide the landcoord land consolidation workspace</source>
        <translation>显示或隐藏 landcoord 土地整备工作台</translation>
    </message>
    <message>
        <location filename="../plugin.py" line="69"/>
        <source>A Processing provider &apos;landcoord&apos; is already registered; this copy added none.</source>
        <translation>已注册名为“landcoord”的处理工具提供者；此副本未再添加。</translation>
    </message>
</context>
<context>
    <name>LandcoordProvider</name>
    <message>
        <location filename="../processing/provider.py" line="50"/>
        <source>Land consolidation (landcoord)</source>
        <translation>土地整备（landcoord）</translation>
    </message>
</context>
<context>
    <name>PlanConflicts</name>
    <message>
        <location filename="../processing/plan_conflicts.py" line="43"/>
        <source>One-map conflicts</source>
        <translation>“一张图”冲突检查</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="46"/>
        <source>Checks a proposal (retained-land parcels, a project boundary, a resettlement site, any polygons) against the control lines of the territorial spatial plan's &quot;one map&quot; (国土空间规划一张图) and reports where it crosses them, how badly and by which rule.

Each zone's kind is read from the kind field and matched, ignoring case and spaces, against the names and aliases of the control-line registry (生态保护红线, 永久基本农田, 城镇开发边界, 基本生态控制线, 道路红线, 绿线, 蓝线, 黄线, 紫线). A value the registry does not know stops the run with the list of known kinds; map it with an alias in your own registry file.

For most kinds the conflict is the part of the proposal inside the kind's zones; for the urban development boundary it is the part outside them. Zones of one kind that overlap are counted once; touching along an edge is no conflict; an overlap smaller than the tolerance is reported with severity 'sliver'. Each input gets a verdict: blocked, review or clear.

Areas are in m² on the projection plane of the proposal (a geographic proposal is measured in its CGCS2000 Gauss-Krüger or UTM zone); the control layer is reprojected to it. Rules whose source was not checked against the official text are marked unverified.</source>
        <translation>将方案用地（留用地地块、项目范围、安置用地或任意面）与国土空间规划“一张图”的控制线进行比对，报告其在何处相交、程度如何、依据哪条规则。

各控制区的类型从类型字段读取，并在忽略大小写和空格的情况下，与控制线登记表中的名称和别名匹配（生态保护红线、永久基本农田、城镇开发边界、基本生态控制线、道路红线、绿线、蓝线、黄线、紫线）。登记表中没有的取值会使运行停止，并列出已知类型；请在您自己的登记表文件中以别名对应。

对大多数类型，冲突是方案用地落在该类控制区内的部分；对城镇开发边界，冲突是落在边界以外的部分。同一类型相互重叠的控制区只计一次；仅沿边界相接不算冲突；小于容差的重叠以“碎片”严重程度报告。每个输入都会得到结论：不通过、需复核或通过。

面积单位为平方米，在方案用地的投影平面上量算（地理坐标系的方案用地在其 CGCS2000 高斯-克吕格或 UTM 分带中量算）；控制线图层会重投影到该坐标系。未与官方文本核对出处的规则标为未核实。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="68"/>
        <source>Proposal</source>
        <translation>方案用地</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="69"/>
        <source>Polygon layer with the proposal to check (retained land, a project boundary, ...).</source>
        <translation>要检查的方案用地面图层（留用地、项目范围等）。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="73"/>
        <source>Proposal id field</source>
        <translation>方案用地编号字段</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="79"/>
        <source>Field with the id of each proposal feature; features with the same id are checked as one. Default: the feature id.</source>
        <translation>记录各方案用地要素编号的字段；编号相同的要素合并检查。默认：要素 ID。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="86"/>
        <source>Control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="87"/>
        <source>Polygon layer of control zones of any kinds (控制线).</source>
        <translation>任意类型控制区（控制线）的面图层。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="89"/>
        <source>Kind field</source>
        <translation>类型字段</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="94"/>
        <source>Field with the kind of each control zone, e.g. 生态保护红线, 生态红线, ECO_RED or 'ecological protection red line'.</source>
        <translation>记录各控制区类型的字段，例如 生态保护红线、生态红线、ECO_RED 或“ecological protection red line”。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="101"/>
        <source>Control-line registry</source>
        <translation>控制线登记表</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="109"/>
        <source>Your own registry file (TOML): local kinds, aliases or severities, merged over the registry shipped with landcoord. Default: the shipped registry.</source>
        <translation>您自己的登记表文件（TOML）：本地类型、别名或严重程度，合并到随 landcoord 提供的登记表之上。默认：随插件提供的登记表。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="116"/>
        <source>Sliver tolerance (m²)</source>
        <translation>碎片容差（平方米）</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="123"/>
        <source>Overlaps smaller than this area (per proposal feature and kind) are reported with severity &apos;sliver&apos; and do not change the verdict.</source>
        <translation>小于此面积的重叠（按方案用地要素和类型计）以“碎片”严重程度报告，不影响结论。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="130"/>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="133"/>
        <source>One polygon per proposal feature and control-line kind in conflict: input_id, kind, severity (blocking, review, advisory or sliver), conflict_area (m²), input_share, rule, source, and the ids of the control zones involved.</source>
        <translation>每个存在冲突的方案用地要素与控制线类型组合一个面：input_id、kind、severity（blocking 禁止、review 需复核、advisory 提示或 sliver 碎片）、conflict_area（平方米）、input_share、rule、source，以及所涉控制区的编号。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="141"/>
        <source>Conflict verdict by proposal feature</source>
        <translation>按方案用地要素的冲突结论</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="148"/>
        <source>One row per proposal feature: blocking_area, review_area, advisory_area (m², land under two kinds counted once) and the verdict: blocked, review or clear.</source>
        <translation>每个方案用地要素一行：blocking_area、review_area、advisory_area（平方米，同时属于两类的土地只计一次）以及结论：blocked 不通过、review 需复核或 clear 通过。</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="171"/>
        <source>proposal</source>
        <translation>方案用地</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="172"/>
        <source>control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="177"/>
        <source>Checking {n} proposal features against {m} control zones</source>
        <translation>正在将 {n} 个方案用地要素与 {m} 个控制区比对</translation>
    </message>
    <message>
        <location filename="../processing/plan_conflicts.py" line="224"/>
        <source>{n} proposal features: {b} blocked, {r} to review, {c} clear</source>
        <translation>{n} 个方案用地要素：{b} 个不通过，{r} 个需复核，{c} 个通过</translation>
    </message>
</context>
<context>
    <name>ProjectStep</name>
    <message>
        <location filename="../ui/project_step.ui" line="19"/>
        <source>Choose the layers of this consolidation project and which fields hold what. Fields with common Chinese or English names (宗地号, 权利人, 用地状态, parcel_id, holder, ...) are recognised for you; check them.</source>
        <translation>选择本整备项目的图层以及各字段的含义。常见中英文字段名（宗地号、权利人、用地状态、parcel_id、holder 等）会被自动识别，请核对。</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="29"/>
        <source>&lt;b&gt;Project boundaries&lt;/b&gt;</source>
        <translation>&lt;b&gt;项目范围&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="36"/>
        <source>Boundary layer</source>
        <translation>项目范围图层</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="49"/>
        <source>Project id field</source>
        <translation>项目编号字段</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="74"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="88"/>
        <source>&lt;b&gt;Cadastre&lt;/b&gt;</source>
        <translation>&lt;b&gt;地籍&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="95"/>
        <source>Parcels layer</source>
        <translation>宗地图层</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="108"/>
        <source>Parcel id</source>
        <translation>宗地号</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="121"/>
        <source>Rights-holder</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="134"/>
        <source>Holder type</source>
        <translation>权利人类型</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="147"/>
        <source>Legal status</source>
        <translation>用地状态</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="160"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="173"/>
        <source>&lt;b&gt;Plan and surroundings&lt;/b&gt;</source>
        <translation>&lt;b&gt;规划与周边&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="180"/>
        <source>Control lines</source>
        <translation>控制线</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="193"/>
        <source>Kind field</source>
        <translation>类型字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="219"/>
        <source>Zoning</source>
        <translation>规划</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="232"/>
        <source>Land-use field</source>
        <translation>用地性质字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="245"/>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="258"/>
        <source>Floor area field</source>
        <translation>建筑面积字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="271"/>
        <source>Building status field</source>
        <translation>建筑合法状态字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="284"/>
        <source>Community holdings</source>
        <translation>社区现有用地</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="297"/>
        <source>Community field</source>
        <translation>社区字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="310"/>
        <source>Roads</source>
        <translation>道路</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="323"/>
        <source>&lt;b&gt;Results&lt;/b&gt;</source>
        <translation>&lt;b&gt;成果&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="330"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="346"/>
        <source>Recognise layers and fields</source>
        <translation>识别图层和字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="347"/>
        <source>Choose layers and fields again from their names; replaces the current choices.</source>
        <translation>根据名称重新选择图层和字段；将替换当前的选择。</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="68"/>
        <source>Folder for the results of this consolidation project</source>
        <translation>本整备项目成果的存放文件夹</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="102"/>
        <source>(all projects of the layer)</source>
        <translation>（图层中的全部项目）</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="116"/>
        <source>{value} (not in the layer)</source>
        <translation>{value}（不在图层中）</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="229"/>
        <source>No layer chosen for the {what}.</source>
        <translation>尚未选择{what}图层。</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="240"/>
        <source>Layer &apos;{layer}&apos;: choose the {what} field.</source>
        <translation>图层“{layer}”：请选择{what}字段。</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="248"/>
        <source>Results are written to {folder}.</source>
        <translation>成果写入 {folder}。</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="260"/>
        <source>The set-up is complete.</source>
        <translation>设置已完整。</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="62"/>
        <source>Project name field</source>
        <translation>项目名称字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="206"/>
        <source>Name field</source>
        <translation>名称字段</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="329"/>
        <source>Measuring CRS</source>
        <translation>量算坐标系</translation>
    </message>
    <message>
        <location filename="../ui/project_step.ui" line="339"/>
        <source>One CRS for every step of this consolidation project. Not set: the boundary&apos;s projected CRS, else the cadastre&apos;s, else the national projection or a local transverse Mercator with scale factor 1.</source>
        <translation>本整备项目各步骤统一使用的坐标系。未设置：采用项目范围的投影坐标系，否则采用地籍的投影坐标系，否则采用国家投影或比例因子为 1 的局部横轴墨卡托投影。</translation>
    </message>
    <message>
        <location filename="../ui/step_project.py" line="73"/>
        <source>Chosen from the data (boundary, cadastre, national projection)</source>
        <translation>按数据选择（项目范围、地籍、国家投影）</translation>
    </message>
</context>
<context>
    <name>QuotaStep</name>
    <message>
        <location filename="../ui/quota_step.ui" line="9"/>
        <source>The retained-land quota and planned floor area, step by step with the rule and source of every figure; then what each party receives under each benefit-sharing scenario. Unverified rule values are flagged and never shown as official.</source>
        <translation>留用地指标和规划建筑面积，逐步列出每个数值的规则和出处；然后是各利益共享方案下各方的所得。未核实的规则数值会被标出，绝不作为正式结果显示。</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="21"/>
        <source>Rule set</source>
        <translation>规则集</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="34"/>
        <source>Status map</source>
        <translation>状态对照表</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="47"/>
        <source>Scenarios</source>
        <translation>方案</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="60"/>
        <source>Official figures only (refuse unverified values)</source>
        <translation>仅限正式数值（拒绝未核实的数值）</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="71"/>
        <source>Compute quota</source>
        <translation>计算指标</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="74"/>
        <source>Run this step in the background with the choices above.</source>
        <translation>按上面的选择在后台运行此步骤。</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="81"/>
        <source>Open quota in Processing…</source>
        <translation>在处理工具中打开指标计算…</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="84"/>
        <source>Open the Processing dialog of this step&apos;s algorithm, filled in with the choices above.</source>
        <translation>打开此步骤算法的处理工具对话框，并按上面的选择预先填好。</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="98"/>
        <source>Compare scenarios</source>
        <translation>比较方案</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="101"/>
        <source>Run the benefit-sharing scenarios on the quota above.</source>
        <translation>基于上面的指标运行利益共享方案。</translation>
    </message>
    <message>
        <location filename="../ui/quota_step.ui" line="108"/>
        <source>Open scenarios in Processing…</source>
        <translation>在处理工具中打开方案比较…</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="37"/>
        <source>Rule sets (*.toml)</source>
        <translation>规则集（*.toml）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="37"/>
        <source>Status maps (*.csv *.xlsx *.toml)</source>
        <translation>状态对照表（*.csv *.xlsx *.toml）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="37"/>
        <source>Scenarios (*.toml)</source>
        <translation>方案（*.toml）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="45"/>
        <source>(the shipped Shenzhen rule set)</source>
        <translation>（随插件提供的深圳规则集）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="46"/>
        <source>(the default status categories)</source>
        <translation>（默认状态分类）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Quantity</source>
        <translation>量</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Verified</source>
        <translation>已核实</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Source</source>
        <translation>依据</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="50"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Scenario</source>
        <translation>方案</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Party type</source>
        <translation>主体类型</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Party</source>
        <translation>一方</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Land (m²)</source>
        <translation>土地（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Floor area (m²)</source>
        <translation>建筑面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Money (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="64"/>
        <source>Swap floor area (m²)</source>
        <translation>置换建筑面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="80"/>
        <source>Quota trail</source>
        <translation>指标计算过程</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="81"/>
        <source>Scenarios by party</source>
        <translation>各方在各方案下的所得</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="82"/>
        <source>Chart</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="86"/>
        <source>Quota and scenarios</source>
        <translation>指标与方案</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="98"/>
        <source>Scenarios not available: {id} is not registered in this QGIS.</source>
        <translation>方案比较不可用：本 QGIS 中未注册 {id}。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="129"/>
        <source>Run the Affected area step first: the quota is computed from its pieces.</source>
        <translation>请先运行“受影响面积”步骤：指标根据其图斑计算。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="326"/>
        <source>Another landcoord task is still running; wait for it or cancel it.</source>
        <translation>另一个 landcoord 任务仍在运行，请等待其完成或将其取消。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="213"/>
        <source>Affected pieces with community</source>
        <translation>带社区字段的受影响图斑</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="224"/>
        <source>Retained-land quota trail</source>
        <translation>留用地指标计算过程</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="329"/>
        <source>Benefit-sharing scenarios</source>
        <translation>利益共享方案</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="257"/>
        <source>Compare the scenarios to see the chart.</source>
        <translation>比较方案后在此查看图表。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="276"/>
        <source>retained land {area} m², planned floor area {floor} m²</source>
        <translation>留用地 {area} 平方米，规划建筑面积 {floor} 平方米</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="276"/>
        <source>no retained-land figure</source>
        <translation>无留用地数值</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="284"/>
        <source>{where}: {figures} (official)</source>
        <translation>{where}：{figures}（正式结果）</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="286"/>
        <source>{where}: {figures}, NOT OFFICIAL</source>
        <translation>{where}：{figures}，非正式结果</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="288"/>
        <source>{n} steps in the trail, {u} not verified.</source>
        <translation>计算过程共 {n} 步，其中 {u} 步未核实。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="295"/>
        <source>Compute the quota first.</source>
        <translation>请先计算指标。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="298"/>
        <source>Choose a scenarios file (TOML) with the rates of each scenario.</source>
        <translation>请选择载有各方案标准的方案文件（TOML）。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="340"/>
        <source>{id} is not registered in this QGIS.</source>
        <translation>本 QGIS 中未注册 {id}。</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="354"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/step_quota.py" line="354"/>
        <source>NO</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>ProjectStage</name>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>A city's procedure file (.toml); default: the shipped Shenzhen one.</source>
        <translation>城市自己的程序文件（.toml）；默认使用随附的深圳程序文件。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Advance to the next stage</source>
        <translation>推进到下一阶段</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Affected area output (GeoPackage)</source>
        <translation>受影响面积输出（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Entry conditions of the next stage</source>
        <translation>下一阶段的准入条件</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Force the move, with this reason</source>
        <translation>强制推进，理由为</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>GeoPackage (*.gpkg *.GPKG)</source>
        <translation>GeoPackage 文件（*.gpkg *.GPKG）</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Ledger (project GeoPackage)</source>
        <translation>台账（项目 GeoPackage）</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Move although conditions fail; the reason is recorded with the move.</source>
        <translation>条件未满足时仍推进；理由随推进记录一并保存。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Name recorded as author of the move; default LANDCOORD_OFFICER or the OS user.</source>
        <translation>记录为推进人的姓名；默认取 LANDCOORD_OFFICER 或操作系统用户。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Officer (proposer)</source>
        <translation>经办人（提出人）</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Procedure file</source>
        <translation>程序文件</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Project id, as in the ledger and the affected pieces.</source>
        <translation>项目编号，与台账和受影响图斑中的一致。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Project stage (利益统筹 procedure)</source>
        <translation>项目阶段（利益统筹程序）</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Project {p} moved from {a} to {b}.</source>
        <translation>项目 {p} 已从 {a} 推进到 {b}。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Project {p}: stage {s} since {d}.</source>
        <translation>项目 {p}：自 {d} 起处于阶段 {s}。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Show only reads the ledger; Advance writes the move (audited).</source>
        <translation>“查看”只读取台账；“推进”写入推进记录（留痕审计）。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Show the stage and the next stage's conditions</source>
        <translation>查看所处阶段及下一阶段的条件</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>Stage history</source>
        <translation>阶段记录</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>TOML (*.toml)</source>
        <translation>TOML 文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>The GeoPackage holding the consultation ledger (tables ledger_*).</source>
        <translation>保存协商台账（ledger_* 表）的 GeoPackage。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>The officer who approved the move (needed to advance).</source>
        <translation>审批该推进的工作人员（推进时必填）。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>The output GeoPackage of 'Affected area by rights-holder' (layers reconciliation and pieces): needed for the conditions 'affected area reconciled' and the signing thresholds.</source>
        <translation>“按权利人统计受影响面积”输出的 GeoPackage（reconciliation 和 pieces 图层）：用于“受影响面积已核平”条件和签约比例条件。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="1"/>
        <source>The stages of a 利益统筹 project, in the order of the procedure file (计划立项 → 现状调查/权属核查 → 方案编制 → 公示 → 协议签订 → 审批 → 实施/移交): shows the project's stage and checks the next stage's entry conditions against the ledger and the outputs (affected area reconciled, hearing held, public notice closed, signing threshold met...).

With the action 'Advance', the project is moved into the next stage: a ledger write recording who moved it (the officer), who approved it, when, and each condition's result; it goes through the ledger's audit trail, so the fingerprint code covers it. The move is refused, naming the failed conditions, unless a reason to force it is given (recorded). Where the procedure says so (four-eyes), the officer cannot approve their own move.

The output table is the project's stage history. Optionally, the project's public notices, their objections and the answers are written as a printable public document (PDF, names and phone numbers masked as in the public export).</source>
        <translation>利益统筹项目的各个阶段，按程序文件的顺序（计划立项 → 现状调查/权属核查 → 方案编制 → 公示 → 协议签订 → 审批 → 实施/移交）：显示项目所处阶段，并依据台账和成果检查下一阶段的准入条件（受影响面积已核平、已召开听证会、公示已结束、签约比例已达到……）。

选择“推进”时，项目进入下一阶段：写入台账，记录推进人（经办人）、审批人、时间及各条件的检查结果；该记录经过台账审计留痕，校验码覆盖它。条件未满足时拒绝推进并列出未满足的条件，除非给出强制推进的理由（将被记录）。程序文件规定双人审核时，经办人不能审批自己的推进。

输出表为项目的阶段记录。还可将项目的公示、异议及答复写成可打印的公开文件（PDF，姓名与电话号码按公开导出的规则脱敏）。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="124"/>
        <source>Public notice document</source>
        <translation>公示公开文件</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="124"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="0"/>
        <source>The project&apos;s public notices (公示), each objection (who, masked; what; when), its answer and the outcome, as a printable A4 PDF for posting: names and phone numbers masked as in `landcoord notice export`. Leave empty to write none.</source>
        <translation>项目的公示、每条异议（异议人（已脱敏）、内容、日期）、答复及公示结果，写成可张贴的 A4 PDF：姓名与电话号码按 `landcoord notice export` 的规则脱敏。留空则不写出。</translation>
    </message>
    <message>
        <location filename="../processing/project_stage.py" line="211"/>
        <source>Public notice document written: {path}</source>
        <translation>已写出公示公开文件：{path}</translation>
    </message>
</context>
<context>
    <name>RetainedQuota</name>
    <message>
        <location filename="../processing/retained_quota.py" line="45"/>
        <source>Retained-land quota (留用地) with its trail</source>
        <translation>留用地指标及计算过程</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="48"/>
        <source>Computes the retained-land quota, the planned floor area and the land left to the government per project (and per community), from the parcel pieces of &apos;Affected area by rights-holder&apos; and a rule set file. The output is the trail of the calculation: one row per step (data, rule values, formulas, verdict, results), each naming its rule, its source and whether it is verified.

Rule values that no source confirmed ship EMPTY in the rule sets: a result that needs an empty or unverified value is flagged NOT OFFICIAL in the trail (row &apos;official&apos;), and with &apos;Official result only&apos; the algorithm refuses to run. Never type in a number that was not read in its source: copy the rule set, fill in the values with their document, article and address, and set verified = true.

The community of each piece comes from a field of the pieces (join it from the parcels first, e.g. with &apos;Join attributes by field value&apos; on parcel_id).</source>
        <translation>根据“按权利人统计受影响面积”输出的宗地图斑和规则集文件，按项目（及社区）计算留用地指标、规划建筑面积以及政府所得土地。输出为计算过程表：每一步（数据、规则取值、公式、结论、结果）一行，并注明所依据的规则、出处以及是否已核实。

未经任何出处证实的规则数值在规则集中留空：凡需要空值或未核实数值的结果，在计算过程中标为“非正式结果”（“official”行）；勾选“仅限正式结果”时，算法将拒绝运行。切勿填写未在出处中读到的数字：请复制规则集，填入数值及其文件、条款和出处地址，并设置 verified = true。

各图斑的社区取自图斑的一个字段（请先从宗地连接过来，例如按 parcel_id 使用“按字段值连接属性”）。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="64"/>
        <source>Parcel pieces (output of Affected area)</source>
        <translation>宗地图斑（受影响面积的输出）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="67"/>
        <source>The pieces written by landcoord:affectedarea, with fields {fields}.</source>
        <translation>landcoord:affectedarea 输出的图斑，含字段 {fields}。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="73"/>
        <source>Status map (CSV, XLSX or TOML)</source>
        <translation>状态对照表（CSV、XLSX 或 TOML）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="73"/>
        <source>Status maps (*.csv *.xlsx *.toml)</source>
        <translation>状态对照表（*.csv *.xlsx *.toml）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="79"/>
        <source>Which legal status is legal land, uncompensated land or state land: a table with columns status,category (category legal, uncompensated or state) or a TOML file with a [status_map] table. It updates the default, which covers the statuses of the domain primer (房地产证, 出让合同, 非农建设用地, 征地返还用地, 历史遗留违法建筑确认, 旧屋村: legal; 未完善征转手续: uncompensated; 国有储备用地: state).</source>
        <translation>哪些用地状态属于合法用地、未完善征转手续用地或国有用地：一个含 status、category 列的表（category 为 legal、uncompensated 或 state），或一个含 [status_map] 表的 TOML 文件。它在默认对照的基础上更新；默认对照涵盖领域说明中的各种状态（房地产证、出让合同、非农建设用地、征地返还用地、历史遗留违法建筑确认、旧屋村：合法用地；未完善征转手续：未完善征转手续用地；国有储备用地：国有用地）。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="89"/>
        <source>Community field</source>
        <translation>社区字段</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="95"/>
        <source>Field of the pieces naming the community of each holder; the quota is then per community.</source>
        <translation>图斑中记录各权利人所属社区的字段；指标将按社区计算。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="101"/>
        <source>Buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="104"/>
        <source>Building footprints with their floor area, for the existing floor area and FAR.</source>
        <translation>带建筑面积的建筑基底，用于计算现状建筑面积和容积率。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="106"/>
        <source>Floor area field of the buildings</source>
        <translation>建筑物的建筑面积字段</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="113"/>
        <source>Total floor area of each building in m² (建筑面积).</source>
        <translation>各栋建筑的总建筑面积（平方米）。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="115"/>
        <source>Zoning (planned land use)</source>
        <translation>规划（规划用地）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="121"/>
        <source>Planned land use, for geometric conditions such as the Shenzhen entry condition (the largest contiguous block of uncompensated planned construction land).</source>
        <translation>规划用地，用于几何条件判断，例如深圳的准入条件（未完善征转手续的规划建设用地中最大的连片地块）。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="128"/>
        <source>Land-use class field of the zoning</source>
        <translation>规划图层的用地性质字段</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="134"/>
        <source>Land-use class code (用地性质), e.g. R2, M1, GIC, E1.</source>
        <translation>用地性质代码，例如 R2、M1、GIC、E1。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="136"/>
        <source>Rule set (TOML)</source>
        <translation>规则集（TOML）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="136"/>
        <source>Rule sets (*.toml)</source>
        <translation>规则集（*.toml）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="142"/>
        <source>Rule set file. Shipped: shenzhen_benefit_coordination.toml (area ratios EMPTY), guangdong_2016.toml, and examples/shenzhen_example.toml (made-up values, never official).</source>
        <translation>规则集文件。随插件提供：shenzhen_benefit_coordination.toml（面积比例留空）、guangdong_2016.toml，以及 examples/shenzhen_example.toml（虚构数值，永远不是正式结果）。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="149"/>
        <source>Official result only</source>
        <translation>仅限正式结果</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="151"/>
        <source>Fail, writing nothing, unless every result is official: all the values and formulas it depends on verified and filled in, conditions met, and the rule set not an example.</source>
        <translation>除非每项结果均为正式结果，否则失败且不写出任何结果：所依赖的全部数值和公式均已填写并核实、条件均满足、且规则集不是示例。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="158"/>
        <source>Quota trail</source>
        <translation>指标计算过程</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="159"/>
        <source>Table: project, community, item, quantity, value, unit, rule, source, verified, note; one row per step, ending with the verdict and the results.</source>
        <translation>表：project、community、item、quantity、value、unit、rule、source、verified、note；每步一行，最后是结论和结果。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="183"/>
        <source>Choose the floor area field of the buildings.</source>
        <translation>请选择建筑物的建筑面积字段。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="185"/>
        <source>Choose the land-use class field of the zoning.</source>
        <translation>请选择规划图层的用地性质字段。</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="187"/>
        <source>pieces</source>
        <translation>图斑</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="191"/>
        <source>buildings</source>
        <translation>建筑物</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="196"/>
        <source>zoning</source>
        <translation>规划</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="201"/>
        <source>Computing the quota of {n} pieces with {rules}</source>
        <translation>正在用 {rules} 计算 {n} 个图斑的指标</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="240"/>
        <source>Project {p}: retained land {r:.2f} m², planned floor area {f:.2f} m², land left to the government {g:.2f} m² (official)</source>
        <translation>项目 {p}：留用地 {r:.2f} 平方米，规划建筑面积 {f:.2f} 平方米，政府所得土地 {g:.2f} 平方米（正式结果）</translation>
    </message>
    <message>
        <location filename="../processing/retained_quota.py" line="247"/>
        <source>Project {p}: NOT OFFICIAL: {why}</source>
        <translation>项目 {p}：非正式结果：{why}</translation>
    </message>
</context>
<context>
    <name>RetainedStep</name>
    <message>
        <location filename="../ui/retained_step.ui" line="9"/>
        <source>Carve each community&apos;s retained land to its quota: inside the project, clear of blocking control lines and of the land you exclude, compact, wide enough and reachable from a road.</source>
        <translation>按指标为各社区划定留用地：位于项目范围内，避开禁止类控制线和您排除的用地，形状规整、宽度足够并与道路相接。</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="21"/>
        <source>Keep clear of blocking control lines</source>
        <translation>避开禁止类控制线</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="24"/>
        <source>Give the control lines to the carving: it keeps clear of the blocking kinds, lies inside the urban development boundary, and keeps clear of the kinds for review by hand (the purple line) where the quotas still fit. Which kind is which: the control-line registry (step Conflicts).</source>
        <translation>把控制线交给留用地划定：避开禁止类管控线，位于城镇开发边界之内，并在配额仍能满足时避开需人工复核的类型（紫线）。各类型的归属由控制线登记表决定（冲突检查步骤）。</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="48"/>
        <source>Also exclude</source>
        <translation>另行排除</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="61"/>
        <source>Carve next to each community&apos;s holdings</source>
        <translation>靠近各社区现有用地划定</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="71"/>
        <source>Every parcel must touch a road</source>
        <translation>每个地块须与道路相接</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="81"/>
        <source>Minimum width (m)</source>
        <translation>最小宽度（米）</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="104"/>
        <source>Area tolerance (m²)</source>
        <translation>面积容差（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="134"/>
        <source>Carve</source>
        <translation>划定</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="137"/>
        <source>Run this step in the background with the choices above.</source>
        <translation>按上面的选择在后台运行此步骤。</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="144"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="147"/>
        <source>Open the Processing dialog of this step&apos;s algorithm, filled in with the choices above.</source>
        <translation>打开此步骤算法的处理工具对话框，并按上面的选择预先填好。</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="182"/>
        <source>Search parcels…</source>
        <translation>搜索地块…</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="202"/>
        <source>Click a parcel to zoom to it.</source>
        <translation>点击一个地块可缩放至该处。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Quota (m²)</source>
        <translation>指标（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Area (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Deviation (m²)</source>
        <translation>偏差（平方米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Compactness</source>
        <translation>紧凑度</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Min. width (m)</source>
        <translation>最小宽度（米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Frontage (m)</source>
        <translation>临路长度（米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>To holdings (m)</source>
        <translation>距现有用地（米）</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="56"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="74"/>
        <source>Retained land</source>
        <translation>留用地</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="102"/>
        <source>The control-line registry is not available in this landcoord version: untick &apos;Keep clear of blocking control lines&apos; and add the zones to exclude as a layer.</source>
        <translation>此 landcoord 版本中没有控制线登记表：请取消勾选“避开禁止类控制线”，并以图层形式添加要排除的区域。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="113"/>
        <source>Layer &apos;{layer}&apos;: kinds {values} in field &apos;{field}&apos; are not in the control-line registry. Add them as aliases in your own registry (step Conflicts) first.</source>
        <translation>图层“{layer}”：字段“{field}”中的类型 {values} 不在控制线登记表中。请先在您自己的登记表中将其添加为别名（“冲突”步骤）。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="159"/>
        <source>Compute the quota first (step Quota and scenarios).</source>
        <translation>请先计算指标（“指标与方案”步骤）。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="168"/>
        <source>Choose the community field of the holdings on the Project step, or untick 'Carve next to …'.</source>
        <translation>请在“项目”步骤中选择现有用地的社区字段，或取消勾选“靠近……划定”。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="218"/>
        <source>Another landcoord task is still running; wait for it or cancel it.</source>
        <translation>另一个 landcoord 任务仍在运行，请等待其完成或将其取消。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="265"/>
        <source>Retained land by community</source>
        <translation>按社区划分的留用地</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="285"/>
        <source>{n} parcels, {area} m² in all; largest deviation from a quota {dev} m².</source>
        <translation>{n} 个地块，共 {area} 平方米；与指标的最大偏差 {dev} 平方米。</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="31"/>
        <source>Keep clear of planned uses</source>
        <translation>避开的规划用地性质</translation>
    </message>
    <message>
        <location filename="../ui/retained_step.ui" line="41"/>
        <source>Land-use codes of the zoning layer, separated by commas, whose land retained land may not use (e.g. S1 roads, GIC public facilities). Empty: none.</source>
        <translation>规划图层中留用地不得使用的用地性质代码，以逗号分隔（例如 S1 道路、GIC 公共设施）。留空：不排除。</translation>
    </message>
    <message>
        <location filename="../ui/step_retained.py" line="147"/>
        <source>Choose the zoning layer on the Project step, or empty &apos;Keep clear of planned uses&apos;.</source>
        <translation>请在“项目”步骤中选择规划图层，或清空“避开的规划用地性质”。</translation>
    </message>
</context>
<context>
    <name>StageStep</name>
    <message>
        <location filename="../ui/step_stage.py" line="43"/>
        <source>TOML (*.toml)</source>
        <translation>TOML 文件 (*.toml)</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="45"/>
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage 文件（*.gpkg）</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="136"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="54"/>
        <source>From</source>
        <translation>原阶段</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="54"/>
        <source>To</source>
        <translation>新阶段</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="54"/>
        <source>Moved by</source>
        <translation>推进人</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="119"/>
        <source>Approved by</source>
        <translation>批准人</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="54"/>
        <source>Forced (reason)</source>
        <translation>强制推进（理由）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="66"/>
        <source>Condition</source>
        <translation>条件</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="66"/>
        <source>Met</source>
        <translation>是否满足</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="66"/>
        <source>Detail</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="75"/>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="75"/>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="301"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="128"/>
        <source>Choose the project in the Project step first: its stage is read per project.</source>
        <translation>请先在“项目”步骤中选择项目：阶段按项目读取。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="150"/>
        <source>The affected-area GeoPackage &apos;{path}&apos; does not exist; choose it again.</source>
        <translation>受影响面积 GeoPackage“{path}”不存在；请重新选择。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="179"/>
        <source>Choose the project in the Project step and open its ledger in the Consultation tab.</source>
        <translation>请在“项目”步骤中选择项目，并在“协商”页打开其台账。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="234"/>
        <source>Project {project} has not entered a stage yet.</source>
        <translation>项目 {project} 尚未进入任何阶段。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="237"/>
        <source>Project {project}: stage {stage} since {since} ({days} days).</source>
        <translation>项目 {project}：自 {since} 起处于{stage}阶段（{days} 天）。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="241"/>
        <source>This is the last stage.</source>
        <translation>这是最后一个阶段。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="243"/>
        <source>Next: {stage}; every entry condition is met.</source>
        <translation>下一阶段：{stage}；准入条件均已满足。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="243"/>
        <source>Next: {stage}; {count} entry condition(s) not met.</source>
        <translation>下一阶段：{stage}；有 {count} 项准入条件未满足。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="253"/>
        <source>forced: {reason}</source>
        <translation>强制：{reason}</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="268"/>
        <source>met</source>
        <translation>满足</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="268"/>
        <source>NOT met</source>
        <translation>未满足</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="291"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="292"/>
        <source>Rights-holders</source>
        <translation>权利人</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="293"/>
        <source>Consented (agreed or signed)</source>
        <translation>同意（已同意或已签约）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="294"/>
        <source>Signed</source>
        <translation>已签约</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="295"/>
        <source>Consent by holders</source>
        <translation>同意率（按人数）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="296"/>
        <source>Affected area (m²)</source>
        <translation>受影响面积（m²）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="297"/>
        <source>Consent by area</source>
        <translation>同意率（按面积）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="298"/>
        <source>Signed by area</source>
        <translation>签约率（按面积）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="299"/>
        <source>Open objections</source>
        <translation>未答复异议</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="300"/>
        <source>Open requests</source>
        <translation>待答复诉求</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="302"/>
        <source>Days in stage</source>
        <translation>本阶段天数</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="303"/>
        <source>Overdue duties</source>
        <translation>逾期职责</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="338"/>
        <source>Monitoring of project {project}</source>
        <translation>项目 {project} 动态监测</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="358"/>
        <source>Enter who approved the move (Approved by).</source>
        <translation>请填写批准推进的人（批准人）。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="363"/>
        <source>A forced move needs its reason: write it in Reason.</source>
        <translation>强制推进须说明理由：请在“理由”中填写。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="381"/>
        <source>Project {project} moved from {old} to {new}.</source>
        <translation>项目 {project} 已由 {old} 推进至 {new}。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="385"/>
        <source>Forced; the reason is recorded.</source>
        <translation>为强制推进；理由已记录。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="9"/>
        <source>The project's stage in the 利益统筹 procedure (计划立项 → … → 实施/移交), read from the consultation ledger: its history, the entry conditions of the next stage, and the move into it, recorded with who moved it and who approved it.</source>
        <translation>项目在利益统筹程序中所处的阶段（计划立项 → … → 实施/移交），读自协商台账：阶段历程、下一阶段的准入条件，以及推进至下一阶段（记录推进人与批准人）。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="21"/>
        <source>Procedure</source>
        <translation>程序文件</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="31"/>
        <source>A city&apos;s procedure file (.toml): stages, entry conditions, duties, four-eyes. Empty: the shipped Shenzhen procedure.</source>
        <translation>城市的程序文件（.toml）：阶段、准入条件、职责、双人审核。留空：使用内置的深圳程序。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="38"/>
        <source>Affected area</source>
        <translation>受影响面积</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="48"/>
        <source>The output GeoPackage of `landcoord affected` (layers reconciliation and pieces), for the conditions &apos;affected area reconciled&apos; and the signing thresholds. Empty: the pieces of the Affected area step.</source>
        <translation>`landcoord affected` 输出的 GeoPackage（图层 reconciliation 与 pieces），用于“受影响面积已核平”条件及签约门槛。留空：使用“受影响面积”步骤的结果。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="77"/>
        <source>Stage history</source>
        <translation>阶段历程</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="97"/>
        <source>Entry conditions of the next stage</source>
        <translation>下一阶段的准入条件</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="129"/>
        <source>The officer who approved the move. Where the procedure asks for four eyes, not the officer moving the project (the Officer of the Consultation tab).</source>
        <translation>批准推进的工作人员。程序要求双人审核时，不得为推进项目的工作人员本人（即“协商”页中的经办人）。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="146"/>
        <source>yyyy-MM-dd</source>
        <translation>yyyy-MM-dd</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="156"/>
        <source>Force the move although conditions are not met</source>
        <translation>条件未满足时强制推进</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="163"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="173"/>
        <source>Why the move is forced (recorded with it)</source>
        <translation>强制推进的理由（随推进一并记录）</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="184"/>
        <source>Check the conditions</source>
        <translation>检查条件</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="191"/>
        <source>Move to the next stage</source>
        <translation>推进至下一阶段</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="198"/>
        <source>Open in Processing…</source>
        <translation>在处理工具中打开…</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="209"/>
        <source>Monitoring indicators</source>
        <translation>监测指标</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="216"/>
        <source>Chart over time</source>
        <translation>随时间变化图</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="219"/>
        <source>The indicators of the project at the first of each month since its first stage move (the last 24 months at most) and today, drawn as a chart (PNG in the output folder).</source>
        <translation>项目自首次推进阶段起每月第一天（最多最近 24 个月）及今天的各项指标，绘成图表（PNG，存于输出文件夹）。</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="205"/>
        <source>Export notice PDF…</source>
        <translation>导出公示 PDF…</translation>
    </message>
    <message>
        <location filename="../ui/stage_step.ui" line="208"/>
        <source>The project&apos;s public notices (公示), each objection and its answer, as a printable A4 PDF for posting: the public version, names and phone numbers masked.</source>
        <translation>项目的公示、每条异议及其答复，生成可供张贴的 A4 PDF：公开版本，姓名和电话号码均已遮蔽。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="15"/>
        <source>Export notice PDF</source>
        <translation>导出公示 PDF</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="416"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件（*.pdf）</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="430"/>
        <source>Open or create the ledger in the Consultation tab first.</source>
        <translation>请先在“协商”页打开或新建台账。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="434"/>
        <source>Another landcoord task is still running; wait for it or cancel it.</source>
        <translation>另一个 landcoord 任务仍在运行，请等待其完成或将其取消。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="454"/>
        <source>Notice PDF of project {project}</source>
        <translation>项目 {project} 的公示 PDF</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="463"/>
        <source>Notice PDF: canceled; nothing was written.</source>
        <translation>公示 PDF：已取消，未写入任何文件。</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="470"/>
        <source>The notice PDF could not be written: {error}</source>
        <translation>公示 PDF 未能写出：{error}</translation>
    </message>
    <message>
        <location filename="../ui/step_stage.py" line="477"/>
        <source>Public notice PDF (names masked) written to {path}.</source>
        <translation>公示 PDF（公开版，姓名已遮蔽）已写入 {path}。</translation>
    </message>
</context>
<context>
    <name>TablePanel</name>
    <message>
        <location filename="../ui/table_panel.ui" line="9"/>
        <source>Search…</source>
        <translation>搜索…</translation>
    </message>
</context>
<context>
    <name>MeasureCRS</name>
    <message>
        <location filename="../processing/measure.py" line="26"/>
        <source>Measuring CRS</source>
        <translation>量算坐标系</translation>
    </message>
    <message>
        <location filename="../processing/measure.py" line="29"/>
        <source>Projected CRS to measure areas in, the same for every step of a project. Empty: the boundary&apos;s projected CRS, else the cadastre&apos;s, else the national projection (CGCS2000 Gauss-Krüger zone, Lambert-93 in France) or a local transverse Mercator with scale factor 1; never a UTM zone unless chosen here.</source>
        <translation>量算面积所用的投影坐标系，同一项目的各步骤应相同。留空：采用项目范围的投影坐标系，否则采用地籍的投影坐标系，否则采用国家投影（CGCS2000 高斯-克吕格分带；法国为 Lambert-93）或比例因子为 1 的局部横轴墨卡托投影；除非在此选择，绝不使用 UTM 分带。</translation>
    </message>
</context>
</TS>
