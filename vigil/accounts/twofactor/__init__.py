"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and one-time recovery codes.

`services.py` holds the writes (enrol, verify, regenerate, disable, reset), `middleware.py`
keeps an account that must verify away from every other page and the API, `views.py` and
`forms.py` the pages. Who must use it: `vigil.accounts.permissions.must_use_two_factor`.
"""
