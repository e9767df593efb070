"""Pages of the monitoring app, one module per subject. Thin: they parse input, call selectors and services,
and render."""
