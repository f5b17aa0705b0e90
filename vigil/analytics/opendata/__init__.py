"""Open data: the published statistics by year, with small counts suppressed, as public
pages, CSV and JSON downloads and a Frictionless Data Package (docs/open-data.md)."""
