"""The bundled sample project: a synthetic Shenzhen village, its generator, and synthetic fabrics."""
