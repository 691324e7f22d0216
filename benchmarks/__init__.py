"""Benchmarks of landcoord against its peers (QGIS's own algorithms, geopandas); not run by tests."""
