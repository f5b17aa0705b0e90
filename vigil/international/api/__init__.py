"""API v1 of the UN follow-up (`/api/v1/international/...`)."""
