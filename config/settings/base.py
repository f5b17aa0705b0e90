"""Settings shared by every environment; values come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "django_tasks_db",
    "django_otp",
    "vigil.core",
    "vigil.reference",
    "vigil.accounts",
    "vigil.audit",
    "vigil.registry",
    "vigil.people",
    "vigil.visits",
    "vigil.recommendations",
    "vigil.appeals",
    "vigil.international",
    "vigil.planning",
    "vigil.analytics",
    "vigil.api",
    "vigil.site",
    "vigil.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vigil.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vigil.accounts.sessions.SessionTimeoutMiddleware",
    "vigil.accounts.twofactor.middleware.TwoFactorRequiredMiddleware",
    "vigil.core.submissions.ScriptedFormMiddleware",
    "vigil.core.reveal.FailClosedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "vigil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vigil.site.context_processors.navigation",
            ],
        },
    },
]

# The embedded default is a SQLite file under var/; production uses PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vigil.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (a new one per request doubled the cost of a short page); a
# connection that broke meanwhile (a database restart) is replaced at the next request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Password policy (change-password, reset and user-creation pages): at least
# VIGIL_PASSWORD_MIN_LENGTH characters, not like the account's e-mail or name, not a common
# password, not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("VIGIL_PASSWORD_MIN_LENGTH", default=12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
CSRF_FAILURE_VIEW = "vigil.site.views.csrf_failure"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "ru"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: kk and en from vigil/core/formats/ (day before month,
# 24-hour time), ru from Django.
FORMAT_MODULE_PATH = ["vigil.core.formats"]
# The empty choice of a filter's select (django-filter's default is an untranslated "---------");
# forms get theirs from vigil.core.apps.
FILTERS_EMPTY_CHOICE_LABEL = pgettext_lazy("empty choice of a filter", "All")
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Almaty")
# The country whose reference data (regions, agencies, holidays) this install uses.
VIGIL_COUNTRY = env.str("VIGIL_COUNTRY", default="KZ")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the static files that whitenoise serves.
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "vigil" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# Field-level encryption: comma-separated "version:base64key" pairs, newest first.
FIELD_ENCRYPTION_KEYS = env.str("FIELD_ENCRYPTION_KEYS", default="")
# The key of backup archives (`manage.py backup`/`restore`): base64 of 32 bytes, never a field key;
# or the path of a file holding it (a mounted secret).
VIGIL_BACKUP_KEY = env.str("VIGIL_BACKUP_KEY", default="")
VIGIL_BACKUP_KEY_FILE = env.str("VIGIL_BACKUP_KEY_FILE", default="")
# The key of sealed identities' fingerprints (vigil.core.sealing), apart from the encryption keys.
IDENTITY_FINGERPRINT_KEY = env.str("IDENTITY_FINGERPRINT_KEY", default="")
# The embedded install (config/settings/dev.py) keeps its keys in this folder, apart from the
# data; empty: $XDG_CONFIG_HOME/vigil or ~/.config/vigil. Production reads no key folder.
VIGIL_KEY_DIR = env.str("VIGIL_KEY_DIR", default="")
# The key file `manage.py new_key_version` adds a version to (set by the embedded settings).
VIGIL_FIELD_KEYS_FILE: "Path | None" = None

# Content Security Policy: nothing from outside, inline scripts only with the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions in the database under a hash of their key only (vigil/accounts/session_store.py).
SESSION_ENGINE = "vigil.accounts.session_store"
# A session ends after this long without a request, and at the latest this long after sign-in.
VIGIL_SESSION_IDLE_SECONDS = env.int("VIGIL_SESSION_IDLE_SECONDS", default=30 * 60)
VIGIL_SESSION_MAX_SECONDS = env.int("VIGIL_SESSION_MAX_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = VIGIL_SESSION_MAX_SECONDS
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken

MAILERS = {
    "default": {
        "BACKEND": env.str(
            "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="vigil@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running annual report build writes a heartbeat this often (seconds); one without a
# heartbeat for VIGIL_REPORT_BUILD_STALE_SECONDS was interrupted (its task worker stopped):
# the report page says so and a new build may be asked for.
VIGIL_REPORT_BUILD_HEARTBEAT_SECONDS = env.int("VIGIL_REPORT_BUILD_HEARTBEAT_SECONDS", default=10)
VIGIL_REPORT_BUILD_STALE_SECONDS = env.int("VIGIL_REPORT_BUILD_STALE_SECONDS", default=120)

# When the database cannot be reached (a restart, a failover), requests get 503 with this
# Retry-After (seconds) instead of an error page (vigil.site.views.service_unavailable).
VIGIL_RETRY_AFTER_SECONDS = env.int("VIGIL_RETRY_AFTER_SECONDS", default=5)

# Base address of the site, for links in e-mails (reminders, issued recommendations).
VIGIL_SITE_URL = env.str("VIGIL_SITE_URL", default="http://127.0.0.1:8000")
# Public appeal pages and endpoints: sends (and status checks) per client address, e.g.
# "10/min" refuses the 11th in a minute with 429 (vigil/appeals/throttling.py).
VIGIL_PUBLIC_APPEAL_RATE = env.str("VIGIL_PUBLIC_APPEAL_RATE", default="10/min")
VIGIL_PUBLIC_STATUS_RATE = env.str("VIGIL_PUBLIC_STATUS_RATE", default="10/min")
VIGIL_INTAKE_PARTNER_RATE = env.str("VIGIL_INTAKE_PARTNER_RATE", default="120/min")
# Proxies in front that append the client's address to X-Forwarded-For: 0 takes REMOTE_ADDR,
# n the n-th address from the right of X-Forwarded-For (vigil.audit.context.client_ip).
VIGIL_TRUSTED_PROXIES = env.int("VIGIL_TRUSTED_PROXIES", default=0)
# Sign-in lockout (pages and API, vigil/accounts/lockout.py): an account with this many failed
# sign-ins within the window (seconds), or an address with VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT,
# is refused (429) until VIGIL_LOGIN_LOCKOUT seconds after the last failure.
VIGIL_LOGIN_FAILURE_LIMIT = env.int("VIGIL_LOGIN_FAILURE_LIMIT", default=30)
VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("VIGIL_LOGIN_ADDRESS_FAILURE_LIMIT", default=100)
VIGIL_LOGIN_FAILURE_WINDOW = env.int("VIGIL_LOGIN_FAILURE_WINDOW", default=60)
VIGIL_LOGIN_LOCKOUT = env.int("VIGIL_LOGIN_LOCKOUT", default=900)
# Two-factor sign-in (vigil/accounts/twofactor/): the roles that must use it (a signed-in
# account of these roles reaches nothing but the enrolment and code pages until verified).
VIGIL_TWO_FACTOR_REQUIRED_ROLES = tuple(
    role
    for role in env.list(
        "VIGIL_TWO_FACTOR_REQUIRED_ROLES", default=["admin", "coordinator", "regional"]
    )
    if role
)
# The name authenticator apps show beside the account.
VIGIL_TWO_FACTOR_ISSUER = env.str("VIGIL_TWO_FACTOR_ISSUER", default="Vigil")

# Recommendations: durations are data, in working days (holidays skipped).
VIGIL_RECOMMENDATION_DEADLINE_DAYS = env.int("VIGIL_RECOMMENDATION_DEADLINE_DAYS", default=30)
VIGIL_RECOMMENDATION_DUE_SOON_DAYS = env.int("VIGIL_RECOMMENDATION_DUE_SOON_DAYS", default=5)
VIGIL_RECOMMENDATION_GRACE_DAYS = env.int("VIGIL_RECOMMENDATION_GRACE_DAYS", default=10)
# Escalation goes up the agency tree; an agency without a parent escalates to this one.
VIGIL_ESCALATION_TOP_AGENCY = env.str("VIGIL_ESCALATION_TOP_AGENCY", default="GOV")
# A theme raised at this many institutions is listed as a systemic issue.
VIGIL_SYSTEMIC_MIN_INSTITUTIONS = env.int("VIGIL_SYSTEMIC_MIN_INSTITUTIONS", default=5)
# The systemic analysis is kept until its data change; the records' stamp (a count over the
# table) is read again at most this often, so a change shows within this many seconds.
VIGIL_ANALYSIS_STAMP_SECONDS = env.int("VIGIL_ANALYSIS_STAMP_SECONDS", default=60)
# A new recommendation this similar (TF-IDF cosine) to an earlier one is offered as a repeat.
VIGIL_REPEAT_SIMILARITY_THRESHOLD = env.float("VIGIL_REPEAT_SIMILARITY_THRESHOLD", default=0.3)
# Signature line of escalation letters (empty: the generic office of the Commissioner).
VIGIL_LETTER_SIGNATORY = env.str("VIGIL_LETTER_SIGNATORY", default="")

# Appeals: reprisal follow-up contacts, in calendar days after the appeal was received or the
# interview held (per risk level), and after an unreachable person's failed contact.
VIGIL_FOLLOW_UP_HIGH_RISK_DAYS = env.list(
    "VIGIL_FOLLOW_UP_HIGH_RISK_DAYS", cast=int, default=[7, 30]
)
VIGIL_FOLLOW_UP_LOW_RISK_DAYS = env.list("VIGIL_FOLLOW_UP_LOW_RISK_DAYS", cast=int, default=[30])
VIGIL_FOLLOW_UP_RETRY_DAYS = env.int("VIGIL_FOLLOW_UP_RETRY_DAYS", default=7)
# An institution with ill-treatment appeals or incidents this recent (days) is flagged.
VIGIL_INSTITUTION_FLAG_DAYS = env.int("VIGIL_INSTITUTION_FLAG_DAYS", default=90)

# Imports (every kind): the largest file and the most rows accepted. The registry's own export
# of 30,000 institutions (about 16 MB) fits within them.
VIGIL_IMPORT_MAX_BYTES = env.int("VIGIL_IMPORT_MAX_BYTES", default=32 * 1024 * 1024)
VIGIL_IMPORT_MAX_ROWS = env.int("VIGIL_IMPORT_MAX_ROWS", default=50_000)
# Photos and documents of visits and responses: checked by content, cleaned, stored encrypted.
VIGIL_ATTACHMENT_MAX_BYTES = env.int("VIGIL_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# Retention (docs/operations.md, `manage.py dispose_expired`): whole years after the interview,
# after an appeal was closed, after a file's visit ended or its appeal was closed.
VIGIL_RETENTION_INTERVIEW_YEARS = env.int("VIGIL_RETENTION_INTERVIEW_YEARS", default=10)
VIGIL_RETENTION_APPEAL_YEARS = env.int("VIGIL_RETENTION_APPEAL_YEARS", default=5)
VIGIL_RETENTION_FILE_YEARS = env.int("VIGIL_RETENTION_FILE_YEARS", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = VIGIL_IMPORT_MAX_BYTES + 1024 * 1024
# Uploads stay in memory up to the largest accepted size: never written to disk unencrypted.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(VIGIL_IMPORT_MAX_BYTES, VIGIL_ATTACHMENT_MAX_BYTES)

# API tokens (django-rest-knox, vigil/accounts/tokens.py): one per device, kept only as a
# hash, valid this many days after they are issued.
VIGIL_API_TOKEN_TTL = env.int("VIGIL_API_TOKEN_TTL", default=30)
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 - a model, not a secret
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=VIGIL_API_TOKEN_TTL),
    "TOKEN_PREFIX": "vigil_",
    "AUTO_REFRESH": False,
}
# knox's own table is replaced by accounts.ApiToken (KNOX_TOKEN_MODEL): its migrations would
# create an unused one.
MIGRATION_MODULES = {"knox": None}

REST_FRAMEWORK = {
    # Token first, so that an anonymous call gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "vigil.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "vigil.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "vigil.api.schema.VigilAutoSchema",
    "DEFAULT_PARSER_CLASSES": ["vigil.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "vigil.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vigil API",
    "DESCRIPTION": (
        "API v1 of Vigil, the information platform of a National Preventive "
        "Mechanism. Authenticate with a token from /api/v1/auth/token/ "
        "(header `Authorization: Token <key>`) or with the browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # One stable schema name per choice set (fields called "state", "kind", ... differ by app).
    "ENUM_NAME_OVERRIDES": {
        "AgencyLevelEnum": "vigil.reference.enums.AgencyLevel",
        "InstitutionCategoryEnum": "vigil.reference.enums.InstitutionCategory",
        "InstitutionStatusEnum": "vigil.registry.enums.InstitutionStatus",
        "RegionKindEnum": "vigil.reference.enums.RegionKind",
        "ConflictKindEnum": "vigil.people.enums.ConflictKind",
        "AccessIncidentKindEnum": "vigil.visits.enums.AccessIncidentKind",
        "AttachmentKindEnum": "vigil.visits.enums.AttachmentKind",
        "IntervieweeCategoryEnum": "vigil.visits.enums.IntervieweeCategory",
        "NoteKindEnum": "vigil.visits.enums.NoteKind",
        "QuestionKindEnum": "vigil.visits.enums.QuestionKind",
        "ReportStateEnum": "vigil.visits.enums.ReportState",
        "VisitStateEnum": "vigil.visits.enums.VisitState",
        "PublicStatusEnum": "vigil.appeals.enums.PublicStatus",
        "RecommendationLevelEnum": "vigil.recommendations.enums.Level",
        "RecommendationSourceEnum": "vigil.recommendations.enums.Source",
        "RecommendationStateEnum": "vigil.recommendations.enums.State",
        "RecommendationEventKindEnum": "vigil.recommendations.enums.EventKind",
        "ReminderKindEnum": "vigil.recommendations.enums.ReminderKind",
        # analytics: the annual report
        "AnnualReportLanguageEnum": "vigil.analytics.models.ReportLanguage",
        "AnnualReportStateEnum": "vigil.analytics.models.ReportState",
        "AnnualReportBuildStatusEnum": "vigil.analytics.models.BuildStatus",
        # appeals: handling
        "AppealDisclosureEnum": "vigil.appeals.enums.Disclosure",
        "AppealStateEnum": "vigil.appeals.enums.AppealState",
        "AppealChannelEnum": "vigil.appeals.enums.Channel",
        "AppealUrgencyEnum": "vigil.appeals.enums.Urgency",
        "VerdictEnum": "vigil.recommendations.enums.Verdict",
        "ClaimedStatusEnum": "vigil.recommendations.enums.ClaimedStatus",
        "LanguageEnum": LANGUAGES,
        # appeals: incidents and follow-ups
        "IncidentKindEnum": "vigil.appeals.enums.IncidentKind",
        "FollowUpOutcomeEnum": "vigil.appeals.enums.FollowUpOutcome",
        # international: the UN follow-up
        "UnBodyEnum": "vigil.international.enums.Body",
        "UnDocumentKindEnum": "vigil.international.enums.DocumentKind",
        "UnAssessmentSourceEnum": "vigil.international.enums.AssessmentSource",
        "UnLinkKindEnum": "vigil.international.enums.LinkKind",
        "UnLinkStatusEnum": "vigil.international.enums.LinkStatus",
        "UnLinkOriginEnum": "vigil.international.enums.LinkOrigin",
        "ThemeEnum": "vigil.visits.enums.Theme",
        # the incident list's `origin` (vigil.appeals.api.incidents), kept by its name
        "OriginEnum": [
            ("incident", _("Recorded incident")),
            ("access", _("Access incident of a visit")),
        ],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

# Open data (vigil/analytics/opendata, docs/open-data.md): the last year published (empty: the
# year before the current one, so only complete past years), and how long pages and downloads
# may be cached (Cache-Control max-age) and the data's stamp is kept before it is read again.
VIGIL_OPEN_DATA_LAST_YEAR = env.int("VIGIL_OPEN_DATA_LAST_YEAR", default=None)
VIGIL_OPEN_DATA_CACHE_SECONDS = env.int("VIGIL_OPEN_DATA_CACHE_SECONDS", default=600)
