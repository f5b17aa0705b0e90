"""API v1 of recommendations; the viewsets are listed in the v1 router (`vigil/site/api_urls.py`)."""
