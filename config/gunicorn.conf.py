"""gunicorn's settings for the embedded install (`make run`, scripts/serve); each can be
changed by the environment: VIGIL_BIND, VIGIL_WEB_WORKERS, VIGIL_WEB_THREADS."""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("VIGIL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("VIGIL_WEB_WORKERS", "2"))
threads = int(os.environ.get("VIGIL_WEB_THREADS", "4"))
# The application (and the settings, which make the keys on the first start) load once in
# the main process, before the workers start: one line says where the keys are.
preload_app = True
timeout = 120  # an export or a report download can take a while
accesslog = "-"
errorlog = "-"
# Idle kept-alive connections stay open 30 s (gunicorn's default is 2): a client that reuses one
# just as the server closes it gets a reset, which the soak saw under load (bench/soak.py).
keepalive = 30
