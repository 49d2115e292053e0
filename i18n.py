"""Language choice, text direction and localised formatting shared by every package."""

from decimal import Decimal
from urllib.parse import urlencode

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_decimal, format_time, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup, escape

from places import reference as places
from places.reference import place_name

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


def translated(labels: dict) -> dict:
    """A dict of lazy labels translated once, for a template that shows one per row or cell of
    a long table: a lazy string is translated anew each time it is shown (350 times on the
    progress page's matrix)."""
    return {key: str(label) for key, label in labels.items()}


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


CURRENCY = {"ar": "درهم"}  # the dirham in the reader's language; "MAD" elsewhere
NO_BREAK = "\u00a0"
# Unicode isolates for plain text (e-mails): left-to-right, first-strong, pop.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"


def format_number(value, fmt: str | None = None) -> str:
    """A number as the reader's language groups it ("250 000", "250,000"), "—" when missing."""
    if value is None:
        return "—"
    return format_decimal(value, format=fmt or "#,##0.###")


def format_mad(amount: int | float | Decimal | None) -> str:
    """An amount in dirhams in the reader's language: "2 230 000 MAD", "2,230,000 درهم"."""
    if amount is None:
        return "—"
    unit = CURRENCY.get(current_language(), "MAD")
    return f"{format_number(amount, '#,##0')}{NO_BREAK}{unit}"


def long_date(value) -> str:
    """A date, one format per language: "11 avril 2025", "11 أبريل 2025", "April 11, 2025"."""
    return format_date(value, "long") if value else "—"


def long_datetime(value) -> str:
    """A moment: the long date and the hour, in the tour's time zone."""
    return f"{format_date(value, 'long')} {format_time(value, 'HH:mm')}" if value else "—"


def isolate(text, *, ltr: bool = False, html: bool = True, cls: str | None = None):
    """The one way to keep a piece of text in its own direction inside a paragraph of the other:
    `<bdi>` in pages (dir="ltr" for numbers, codes, phones; dir="auto" for what people typed),
    Unicode isolates in plain text. Without it "250 000" reads "000 250" in Arabic."""
    if not html:
        return (LRI if ltr else FSI) + str(text) + PDI
    attrs = Markup(' dir="ltr"' if ltr else ' dir="auto"')
    if cls:
        attrs += Markup(' class="%s"') % cls
    return Markup("<bdi%s>%s</bdi>") % (attrs, text)


def _html(context) -> bool:
    """Markup in pages; isolate characters in plain text and where the renderer has no <bdi>
    (WeasyPrint ignores `unicode-bidi: isolate`: the certificate sets `bidi_characters`)."""
    return bool(context.eval_ctx.autoescape) and not context.get("bidi_characters")


@pass_context
def ltr_filter(context, value):
    """`|ltr`: a phone number, receipt code, e-mail or score, kept left to right."""
    return isolate("—" if value in (None, "") else value, ltr=True, html=_html(context))


@pass_context
def isolate_filter(context, value):
    """`|isolate`: a title or name someone typed, shown in its own direction."""
    return isolate("" if value is None else value, html=_html(context))


@pass_context
def number_filter(context, value, fmt=None):
    return isolate(format_number(value, fmt), ltr=True, html=_html(context))


@pass_context
def mad_filter(context, amount):
    """`|mad`: the figure isolated left to right, the unit in the reader's language after it."""
    if amount is None:
        return "—"
    html = _html(context)
    unit = CURRENCY.get(current_language(), "MAD")
    figure = isolate(format_number(amount, "#,##0"), ltr=True, html=html)
    if html:
        return Markup('<bdi class="amount">%s&nbsp;%s</bdi>') % (figure, unit)
    return FSI + figure + NO_BREAK + unit + PDI


@pass_context
def date_filter(context, value, fmt="long"):
    text = format_date(value, "full") if value and fmt == "full" else long_date(value)
    return isolate(text, html=_html(context))


@pass_context
def datetime_filter(context, value, fmt=None):
    return isolate(long_datetime(value), html=_html(context))


@pass_context
def nbsp_filter(context, value):
    """`|nbsp`: a hint such as "250 000" held together (no-break spaces) and isolated."""
    return isolate(str(value).replace(" ", NO_BREAK), ltr=True, html=_html(context))


def url_without_lang() -> str:
    """The current URL minus ?lang=, for the language switch to come back to."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + ("?" + urlencode(args) if args else "")


def place_filter(code: str | None) -> str:
    """`|place`: a region, province or commune code named in the reader's language."""
    return place_name(code, current_language())


def register_template_helpers(app) -> None:
    app.jinja_env.globals.update(
        url_without_lang=url_without_lang,
        event_city=event_city,
        current_language=current_language,
        text_direction=text_direction,
        localized=localized,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        LANGUAGE_SHORT_NAMES=LANGUAGE_SHORT_NAMES,
        places=places,
    )
    app.jinja_env.filters.update(
        mad=mad_filter,
        format_date=date_filter,
        format_datetime=datetime_filter,
        number=number_filter,
        ltr=ltr_filter,
        isolate=isolate_filter,
        nbsp=nbsp_filter,
        marked=marked,
        hinted=hinted,
        place=place_filter,
    )


def template_language() -> str:
    """The language of a downloaded template: `?language=` (ar, fr, en) when given, else the
    reader's (the organiser's) language."""
    chosen = request.args.get("language", "")
    return chosen if chosen in ("ar", "fr", "en") else current_language()
