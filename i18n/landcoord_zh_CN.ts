<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>AffectedArea</name>
    <message>
        <location filename="../processing/affected_area.py" line="38"/>
        <source>Affected area by rights-holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="41"/>
        <source>Overlays project boundaries on cadastral parcels and derives each rights-holder's affected area, by legal status of the land, with exact area accounting: every square metre inside a project is in a parcel piece, in an overlap (land claimed by two parcels) or in a gap (land no parcel covers). Parcels wholly inside a boundary are taken as they are; only parcels crossing its edge are clipped.

Areas are in m² on the projection plane of the cadastre (a geographic cadastre is measured in its CGCS2000 Gauss-Krüger or UTM zone), or on the ellipsoid if asked. Invalid geometries are repaired and reported by parcel id; parcels without a rights-holder are kept with holder NULL and reported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="55"/>
        <source>Project boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="56"/>
        <source>Polygon layer with one or more project boundaries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="58"/>
        <source>Project id field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="64"/>
        <source>Field with the project id; features with the same id form one project. Default: the feature id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="71"/>
        <source>Cadastral parcels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="72"/>
        <source>Polygon layer of cadastral parcels (宗地).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Parcel id field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Parcel id (宗地号).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Rights-holder field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Rights-holder (权利人).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Legal status field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="74"/>
        <source>Legal status of the land (用地状态).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Area method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Planar, on the projection plane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="89"/>
        <source>Ellipsoidal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="96"/>
        <source>Planar (legal area, default) or ellipsoidal area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected pieces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected area by holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Affected area by holder and status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Gaps (land no parcel covers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="98"/>
        <source>Overlaps (land claimed twice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="126"/>
        <source>project boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="127"/>
        <source>cadastre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="133"/>
        <source>Overlaying {n} parcels on {m} boundaries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../processing/affected_area.py" line="204"/>
        <source>Project {p}: boundary {a:.2f} m² = covered {c:.2f} m² + gaps {g:.2f} m²; claimed {cl:.2f} m² of which double-claimed {d:.2f} m²</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LandcoordPlugin</name>
    <message>
        <location filename="../plugin.py" line="81"/>
        <source>landcoord</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="75"/>
        <source>Land consolidation workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="77"/>
        <source>Open the landcoord land consolidation workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="125"/>
        <source>&amp;landcoord</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LandcoordProvider</name>
    <message>
        <location filename="../processing/provider.py" line="26"/>
        <source>Land consolidation (landcoord)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
