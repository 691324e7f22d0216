"""landcoord: land consolidation (土地整备) interest coordination for QGIS."""


def classFactory(iface):
    """QGIS entry point: the plugin object, imported only when QGIS asks for it."""
    from .plugin import LandcoordPlugin

    return LandcoordPlugin(iface)
