"""Forms of the appeals app's pages."""
