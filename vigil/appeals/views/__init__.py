"""Pages of the appeals app, one module per area."""
