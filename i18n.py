"""Language choice, text direction and localised formatting shared by every package."""

from decimal import Decimal
from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape

RTL_LANGUAGES = {"ar"}
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}


def select_locale() -> str:
    """?lang= (remembered in the session) → the session → the signed-in user's saved choice →
    the browser → French. Signing in copies the user's saved choice into the session, and the
    header's switch saves it on the account, so the choice follows the user between devices."""
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


def current_language() -> str:
    return str(get_locale() or "fr").split("_")[0]


def text_direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current_language()) in RTL_LANGUAGES else "ltr"


# The languages a name typed by organisers may be given in, in the order a missing one falls
# back: the reader's own, then French (the tour's working language), English, Arabic.
NAME_LANGUAGES = ("fr", "ar", "en")
FALLBACK_ORDER = ("fr", "en", "ar")
# "(in French)" beside a name shown in another language than the reader's.
IN_LANGUAGE = {"ar": _l("in Arabic"), "fr": _l("in French"), "en": _l("in English")}


class Localized(str):
    """A name in the language it was found in: `lang` is that language, `wanted` the reader's.
    It is a plain string everywhere (titles, attributes, sorting); `|marked` shows it in a page
    with `lang` and a translated "(in French)" hint when it falls back, `hinted()` in plain text."""

    lang: str
    wanted: str

    def __new__(cls, text: str, lang: str, wanted: str):
        self = super().__new__(cls, text)
        self.lang, self.wanted = lang, wanted
        return self

    @property
    def is_fallback(self) -> bool:
        return bool(self) and self.lang != self.wanted

    def hint(self) -> str:
        """ "in French" in the current locale ("بالفرنسية" in Arabic), or "" when not a fallback."""
        return str(IN_LANGUAGE[self.lang]) if self.is_fallback else ""

    def hinted(self) -> str:
        """For plain text (e-mails, PDFs): "Rabat (بالفرنسية)" when it falls back."""
        return f"{self} ({self.hint()})" if self.is_fallback else str(self)

    def marked(self) -> Markup:
        """For pages: the name isolated and tagged with its language, and the hint, when it
        falls back; the name alone otherwise."""
        if not self.is_fallback:
            return escape(str(self))
        return Markup('<bdi lang="%s">%s</bdi> <small class="lang-hint">(%s)</small>') % (
            self.lang,
            str(self),
            self.hint(),
        )


def localized(values: dict | None, lang: str | None = None) -> Localized:
    """The text of a {"ar": …, "fr": …, "en": …} mapping in `lang` (the reader's by default),
    else the first given of French, English, Arabic: a `Localized` saying which it found."""
    lang = lang or current_language()
    values = values or {}
    for candidate in (lang, *FALLBACK_ORDER):
        if values.get(candidate):
            return Localized(values[candidate], candidate, lang)
    return Localized("", lang, lang)


def marked(text) -> Markup:
    """Template filter: a `Localized` name with its fallback mark; any other text escaped."""
    if isinstance(text, Localized):
        return text.marked()
    return escape("" if text is None else text)


def hinted(text) -> str:
    """Template filter: a `Localized` name with its "(in French)" hint, for plain text."""
    if isinstance(text, Localized):
        return text.hinted()
    return "" if text is None else str(text)


class TypedInLanguages:
    """A model whose names organisers type in several languages: the French text in the
    column `<field>` (required), the Arabic and English in `<field>_ar` and `<field>_en`."""

    def text_in(self, field: str, lang: str | None = None) -> Localized:
        return localized(
            {
                "fr": getattr(self, field),
                "ar": getattr(self, f"{field}_ar", None),
                "en": getattr(self, f"{field}_en", None),
            },
            lang,
        )


def event_city(event, lang: str | None = None) -> Localized:
    """An event's city in the reader's language (`Event.city_in`)."""
    return event.city_in(lang)


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
    )
    app.jinja_env.filters.update(
        mad=mad_html,
        marked=marked,
        hinted=hinted,
        format_date=lambda value, fmt="medium": format_date(value, fmt) if value else "—",
        format_datetime=lambda value, fmt="short": format_datetime(value, fmt) if value else "—",
        number=lambda value, fmt=None: format_decimal(value, fmt) if value is not None else "—",
    )


def template_language() -> str:
    """The language of a downloaded template: `?language=` (ar, fr, en) when given, else the
    reader's (the organiser's) language."""
    chosen = request.args.get("language", "")
    return chosen if chosen in ("ar", "fr", "en") else current_language()
