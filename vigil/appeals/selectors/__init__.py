"""Reads of the appeals app, already filtered by the policy (`..permissions`)."""
