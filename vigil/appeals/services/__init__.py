"""Writes of the appeals app: `<entity>_<verb>(*, actor, ...)`, atomic, audited."""
