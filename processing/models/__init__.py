"""Processing models shipped with landcoord (``*.model3``), loaded by the provider."""
