"""WSGI entry point (gunicorn config.wsgi; `runserver` loads it too).

The embedded install says once, on the server's standard error, where its keys are.
"""

import os
import sys

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
if settings.VIGIL_FIELD_KEYS_FILE:
    sys.stderr.write(f"Vigil: the keys are in {settings.VIGIL_KEY_DIR} (apart from the data)\n")
