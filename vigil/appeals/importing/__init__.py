"""Historical imports of the appeals app, as kinds of the shared pipeline
(`vigil.core.importing`), registered by `AppealsConfig.ready()`."""
