"""Configuration defaults. Layered in app.py: these → instance/config.py → environment."""

from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-change-me"

SECRET_KEY = DEFAULT_SECRET_KEY
SQLALCHEMY_DATABASE_URI = None  # filled in by create_app: SQLite in instance/ unless DATABASE_URL
SQLALCHEMY_ENGINE_OPTIONS: dict = {}
SQLITE_BUSY_TIMEOUT_MS = 15_000

# A jury tablet may stay on one page for a whole judging day: the CSRF token must outlive it.
WTF_CSRF_TIME_LIMIT = 16 * 3600
PERMANENT_SESSION_LIFETIME = timedelta(hours=16)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # forced True in production
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"

# Languages: French is the default; Arabic is right-to-left.
LANGUAGES = ("fr", "ar", "en")
BABEL_DEFAULT_LOCALE = "fr"
BABEL_DEFAULT_TIMEZONE = "Africa/Casablanca"

# Login throttling: progressive delays per account + address (none for the first few failures,
# then doubling), and a far higher ceiling per account from everywhere; never per address alone,
# since every tablet of a venue shares one public IP. An organiser can unlock an account.
LOGIN_FREE_FAILURES = 5
LOGIN_FIRST_DELAY = timedelta(seconds=30)
LOGIN_MAX_DELAY = timedelta(minutes=15)
LOGIN_MAX_FAILURES_PER_ACCOUNT = 100
LOGIN_FAILURE_WINDOW = timedelta(hours=1)
# A browser where an account signed in keeps a signed cookie naming it: there, the account's
# ceiling does not apply (strangers elsewhere cannot lock its owner out of their own device).
KNOWN_DEVICE_COOKIE = "known_device"
KNOWN_DEVICE_MAX_AGE = timedelta(days=180)
JURY_LINK_MAX_AGE = timedelta(days=60)

# Public submissions (the form and the kiosk, POSTs only), rate-limited per sending address and
# per event so that the form cannot relay e-mail in bulk. Every tablet of a venue shares one
# address: the per-address limit leaves room for a busy kiosk. Limits are Flask-Limiter strings.
SUBMIT_LIMITS_PER_ADDRESS = "20 per minute; 200 per hour"
SUBMIT_LIMITS_PER_EVENT = "60 per minute; 1000 per hour"
# The public registration form (registration.views.rate_limited): one person registers once.
REGISTER_LIMITS_PER_ADDRESS = "10 per minute; 100 per hour"
REGISTER_LIMITS_PER_EVENT = "60 per minute; 1000 per hour"
# The audience vote (audience.views.rate_limited): a hall's phones share one address, so the
# per-address ceiling is generous; each phone (its cookie) may try a few codes only.
AUDIENCE_LIMITS_PER_ADDRESS = "120 per minute; 3000 per hour"
AUDIENCE_LIMITS_PER_DEVICE = "5 per minute; 30 per hour"
RATELIMIT_STORAGE_URI = None  # filled in by create_app: REDIS_URL, else memory://
RATELIMIT_KEY_PREFIX = "ideathon-limits"
# A hung or down Redis must not stop the form: short socket timeouts (below), errors swallowed,
# and counting in memory until Redis answers again.
RATELIMIT_SWALLOW_ERRORS = True
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
# Proxies in front of the app that append to X-Forwarded-For (1 behind deploy/nginx.conf): the
# sending address is then the one nginx saw, for the rate limits and the login throttle.
PROXY_HOPS = 0

# A kiosk tablet left alone: after KIOSK_IDLE_SECONDS without a touch it asks "Still there?",
# then erases the form KIOSK_IDLE_WARNING_SECONDS later (the next participant sees a blank one).
KIOSK_IDLE_SECONDS = 90
KIOSK_IDLE_WARNING_SECONDS = 20
# The kiosk's receipt stays until the participant presses "Done"; left on screen, it gives way to
# a blank form after KIOSK_RECEIPT_SECONDS (stated on the receipt), for privacy.
KIOSK_RECEIPT_SECONDS = 120
# The offline hall (docs/offline.md): RELEASE (the deploy's name, e.g. its git commit) joins the
# service worker's cache version; IDEA_FORM_VERSION replaces the idea form's version, which is
# otherwise a digest of its fields (a form of another version is refused, its data kept).
RELEASE = ""
IDEA_FORM_VERSION = None

# Attachments to ideas.
MAX_CONTENT_LENGTH = 12 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Documents of a bank project's milestones (bank/documents.py): below MAX_CONTENT_LENGTH.
BANK_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Where attachments are kept (storage/stores.py): "database" (every host sharing the database
# sees them; the default on PostgreSQL) or "directory" (UPLOADS_DIR; the default on SQLite).
FILE_STORE = None

# Jobs and e-mail. No REDIS_URL: jobs run in-process.
REDIS_URL = None
RQ_QUEUE = "ideathon"
# A hung Redis costs a request at most this long (connect or read), then is left alone for
# REDIS_RETRY_AFTER seconds; the outbox sweep sends what waited. Workers wait longer.
REDIS_SOCKET_TIMEOUT = 0.2
REDIS_RETRY_AFTER = 5
REDIS_WORKER_SOCKET_TIMEOUT = 10
RATELIMIT_STORAGE_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
}
MAIL_SERVER = "127.0.0.1"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USE_SSL = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_DEFAULT_SENDER = "Idéathon <no-reply@ideathon.local>"
MAIL_SUPPRESS_SEND = False
MAIL_TIMEOUT = 10
# The public address for links in e-mails and QR codes (set it in production). Unset in
# development: pages use the address they are served on (jobs.outbox.site_base_url).
EXTERNAL_BASE_URL = None
