"""Print layouts of landcoord (QGIS side): the hearing pack and what it needs.

Nothing here computes a figure: the tables come formatted from :mod:`landcoord.allocation.hearing`.
``fonts`` checks the Chinese font, ``pdf`` writes multi-page PDFs whose text can be searched and
extracted, ``layers`` turns the core's frames into QGIS layers, ``layout`` builds the sheets and
``pack`` paginates and renders them.
"""
