"""Language choice, text direction and localised formatting shared by every package."""

from decimal import Decimal
from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user
from markupsafe import Markup

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}
LANGUAGE_SHORT_NAMES = {"ar": "ع", "fr": "FR", "en": "EN"}  # the header's switch on phones


def select_locale() -> str:
    """?lang= (remembered in the session) → the session → the signed-in user's saved choice →
    the browser → French. Signing in keeps the language in use (`sign_in_language`) and saves
    it on the account, as the header's switch does, so the choice follows the user."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if asked in languages:
        session["lang"] = asked
        return asked
    if session.get("lang") in languages:
        return session["lang"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def sign_in_language(saved: str | None) -> str | None:
    """The language a person signs in with: the one chosen before signing in (the session), else
    the browser's preference when it states one, else the account's saved language. Signing in
    never switches the page someone was reading to another language."""
    languages = current_app.config["LANGUAGES"]
    if session.get("lang") in languages:
        return session["lang"]
    if request.accept_languages:
        browser = request.accept_languages.best_match(languages)
        if browser:
            return browser
    return saved if saved in languages else None


def current_language() -> str:
    return str(get_locale() or "fr").split("_")[0]


def text_direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


def localized(values: dict | None, lang: str | None = None) -> str:
    """Pick a text from a {"ar": …, "fr": …, "en": …} mapping, falling back sensibly."""
    if not values:
        return ""
    lang = lang or current_language()
    for candidate in (lang, "fr", "en", "ar"):
        if values.get(candidate):
            return values[candidate]
    return next((v for v in values.values() if v), "")


def event_city(event) -> str:
    """An event's city in the reader's language (Arabic names are kept beside French ones)."""
    if current_language() == "ar" and getattr(event, "city_ar", None):
        return event.city_ar
    return event.city


def format_mad(amount: int | float | Decimal | None) -> str:
    """An amount in dirhams as people read it, e.g. '2 230 000 MAD' in French."""
    if amount is None:
        return "—"
    return f"{format_decimal(amount, format='#,##0')} MAD"


def url_without_lang() -> str:
    """The current URL minus ?lang=, for the language switch to come back to."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + ("?" + urlencode(args) if args else "")


def mad_html(amount) -> Markup:
    """`format_mad` for pages: isolated, so "2 230 000 MAD" keeps its order in Arabic text."""
    return Markup('<bdi class="amount">%s</bdi>') % format_mad(amount)


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(
        url_without_lang=url_without_lang,
        event_city=event_city,
        current_language=current_language,
        text_direction=text_direction,
        localized=localized,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        LANGUAGE_SHORT_NAMES=LANGUAGE_SHORT_NAMES,
    )
    app.jinja_env.filters.update(
        mad=mad_html,
        format_date=lambda value, fmt="medium": format_date(value, fmt) if value else "—",
        format_datetime=lambda value, fmt="short": format_datetime(value, fmt) if value else "—",
        number=lambda value, fmt=None: format_decimal(value, fmt) if value is not None else "—",
    )
