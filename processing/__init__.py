"""Processing provider ``landcoord`` and its algorithms: thin adapters over ``allocation``."""
