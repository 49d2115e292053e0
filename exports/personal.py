"""Exports that hold personal data say so: in their file name and in a notice row at the top of
their first sheet (Law 09-08). Who may make or download them: `accounts.permissions`."""

from flask_babel import lazy_gettext as _l

SUFFIX = "personal-data"
NOTICE = _l(
    "Personal data (Law 09-08): this file holds the names, phones or e-mails of people. Keep it "
    "on a protected device, share it only with those who need it, and delete it after use."
)


def file_name(stem: str, extension: str = "xlsx") -> str:
    """`classement-oujda-fr` → `classement-oujda-fr-personal-data.xlsx`."""
    return f"{stem}-{SUFFIX}.{extension}"
