"""Forms of the visits app, one module per feature (visits, checklists, findings, …)."""
