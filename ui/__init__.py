"""The officer's workspace in QGIS: the landcoord dock, its step controllers and their forms.

Forms are Qt Designer files (``*.ui``) loaded with ``uic.loadUiType``; behaviour lives in one small
controller per step (``step_*.py``). Every algorithm is driven through Processing by its id.
"""
