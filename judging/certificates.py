"""Certificates as PDF, in Arabic or French, drawn by WeasyPrint (Pango shapes the Arabic).

The fonts are embedded: Debian's Noto Sans Arabic and Noto Sans (fonts-noto-core) when
installed, else the Noto Sans Arabic files the app already serves from npm."""

from __future__ import annotations

from pathlib import Path

from flask import render_template
from flask_babel import force_locale

from jobs.outbox import external_url
from judging.models import Certificate

NPM_FONTS = (
    Path(__file__).resolve().parent.parent / "node_modules" / "@fontsource" / "noto-sans-arabic"
)


def _face(family: str, local: str, npm_file: str, weight: int) -> str:
    url = (NPM_FONTS / "files" / npm_file).as_uri()
    return (
        f"@font-face {{ font-family: {family}; font-weight: {weight}; "
        f'src: local("{local}"), url("{url}"); }}'
    )


def font_faces() -> str:
    """CSS naming the certificate's two families: CertLatin for letters and digits, then
    CertArabic (Pango falls back from one to the other per character)."""
    faces = []
    for weight, style in ((400, "Regular"), (700, "Bold")):
        faces.append(
            _face(
                "CertArabic",
                f"Noto Sans Arabic {style}",
                f"noto-sans-arabic-arabic-{weight}-normal.woff",
                weight,
            )
        )
        faces.append(
            _face(
                "CertLatin",
                f"Noto Sans {style}",
                f"noto-sans-arabic-latin-{weight}-normal.woff",
                weight,
            )
        )
    return "\n".join(faces)


def certificate_pdf(certificate: Certificate, lang: str) -> bytes:
    """The certificate as a one-page A4 landscape PDF in `lang` (ar or fr). WeasyPrint is
    imported here: it takes a while to load, and only this page needs it."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from judging.prizes import idea_prizes
    from judging.results import results_in_force

    won = idea_prizes(certificate.event, results_in_force(certificate.event), certificate.idea_id)
    with force_locale(lang):
        html = render_template(
            "judging/certificate.html",
            certificate=certificate,
            idea=certificate.idea,
            event=certificate.event,
            lang=lang,
            prizes=[str(prize.name_in(lang)) for prize in won],
            external_url=external_url,
            bidi_characters=True,  # WeasyPrint has no <bdi>: Unicode isolates instead
        )
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_faces(), font_config=fonts)
    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=fonts)
