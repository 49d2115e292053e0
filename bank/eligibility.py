"""Is a bank project eligible for a financing programme, and if not, why not.

Each rule a programme sets gives one verdict: met (True), not met (False), or cannot tell yet
(None: the project lacks the figure the rule needs, and the message says which). A project is
eligible when every verdict is met. The rules read plain attributes, so they are tested on
plain objects, without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from bank.labels import legal_form_label, sector_label, target_group_label
from bank.states import TargetGroup
from i18n import format_mad
from places.reference import place_name

# Keys of the rules, in the order they are shown.
RULES = ("open", "sector", "region", "legal_form", "amount", "own_contribution", "target_group")


@dataclass(frozen=True)
class Verdict:
    rule: str
    met: bool | None  # None: the project does not say enough to decide
    message: str


def _names(codes, label) -> str:
    return ", ".join(label(code) for code in codes)


def _open(programme, today: date) -> Verdict:
    if not programme.is_open:
        return Verdict("open", False, _("The programme is closed to new applications."))
    if programme.open_until and programme.open_until < today:
        return Verdict(
            "open",
            False,
            _("Applications closed on %(day)s.", day=format_date(programme.open_until, "long")),
        )
    if programme.open_until:
        return Verdict(
            "open",
            True,
            _("Open until %(day)s.", day=format_date(programme.open_until, "long")),
        )
    return Verdict("open", True, _("Open all year."))


def _sector(programme, project) -> Verdict:
    names = _names(programme.sectors, sector_label)
    if project.sector in programme.sectors:
        return Verdict(
            "sector", True, _("Sector: %(sector)s.", sector=sector_label(project.sector))
        )
    return Verdict(
        "sector",
        False,
        _(
            "For the sectors %(sectors)s; the project is in %(sector)s.",
            sectors=names,
            sector=sector_label(project.sector),
        ),
    )


def _region(programme, project, lang: str) -> Verdict:
    code = project.region_code
    names = ", ".join(place_name(c, lang) for c in programme.regions)
    if code is None:
        return Verdict(
            "region",
            None,
            _(
                "The project's region (%(typed)s) is not one of the 12 regions: correct it.",
                typed=project.place_note or "—",
            ),
        )
    if code in programme.regions:
        return Verdict("region", True, _("Region: %(region)s.", region=place_name(code, lang)))
    return Verdict(
        "region",
        False,
        _(
            "Only in %(regions)s; the project is in %(region)s.",
            regions=names,
            region=place_name(code, lang),
        ),
    )


def _legal_form(programme, project) -> Verdict:
    wanted = _names(programme.legal_forms, legal_form_label)
    if not project.legal_form:
        return Verdict(
            "legal_form", None, _("Say the project's legal form (for: %(forms)s).", forms=wanted)
        )
    if project.legal_form in programme.legal_forms:
        return Verdict(
            "legal_form",
            True,
            _("Legal form: %(form)s.", form=legal_form_label(project.legal_form)),
        )
    return Verdict(
        "legal_form",
        False,
        _(
            "For %(forms)s; the project is: %(form)s.",
            forms=wanted,
            form=legal_form_label(project.legal_form),
        ),
    )


def _amount(programme, project) -> Verdict:
    low, high = programme.min_amount_mad, programme.max_amount_mad
    if low is not None and high is not None:
        span = _("from %(low)s to %(high)s", low=format_mad(low), high=format_mad(high))
    elif low is not None:
        span = _("at least %(low)s", low=format_mad(low))
    else:
        span = _("at most %(high)s", high=format_mad(high))
    asked = project.financing_sought_mad
    if asked is None:
        return Verdict(
            "amount", None, _("Say the financing sought (the programme lends %(span)s).", span=span)
        )
    met = (low is None or asked >= low) and (high is None or asked <= high)
    return Verdict(
        "amount",
        met,
        _(
            "Financing sought %(asked)s; the programme gives %(span)s.",
            asked=format_mad(asked),
            span=span,
        ),
    )


def _own_contribution(programme, project) -> Verdict:
    pct = programme.own_contribution_pct
    budget, asked = project.budget_mad, project.financing_sought_mad
    if not budget or asked is None:
        return Verdict(
            "own_contribution",
            None,
            _(
                "Give the budget and the financing sought: the holders must bring %(pct)d %%.",
                pct=pct,
            ),
        )
    own = max(budget - asked, 0)
    share = own * 100 / budget
    return Verdict(
        "own_contribution",
        share >= pct,
        _(
            "The holders bring %(own)s, %(share)d %% of the budget; %(pct)d %% required.",
            own=format_mad(own),
            share=int(share),
            pct=pct,
        ),
    )


def _target_group(programme, project) -> Verdict:
    wanted = _names(programme.target_groups, target_group_label)
    members = project.members_count
    counts = {TargetGroup.WOMEN: project.women_members, TargetGroup.YOUTH: project.youth_members}
    if not members or any(counts[g] is None for g in programme.target_groups):
        return Verdict(
            "target_group",
            None,
            _(
                "Give the number of members, women and young members (for: %(groups)s).",
                groups=wanted,
            ),
        )
    met = [g for g in programme.target_groups if counts[g] * 2 >= members]
    if met:
        return Verdict(
            "target_group", True, _("For %(groups)s: the project qualifies.", groups=wanted)
        )
    return Verdict(
        "target_group",
        False,
        _(
            "For %(groups)s: at least half of the members must be in the group.",
            groups=wanted,
        ),
    )


def verdicts(project, programme, *, today: date, lang: str = "fr") -> list[Verdict]:
    """One verdict per rule the programme sets (and whether it is open), in RULES order."""
    found = [_open(programme, today)]
    if programme.sectors:
        found.append(_sector(programme, project))
    if programme.regions:
        found.append(_region(programme, project, lang))
    if programme.legal_forms:
        found.append(_legal_form(programme, project))
    if programme.min_amount_mad is not None or programme.max_amount_mad is not None:
        found.append(_amount(programme, project))
    if programme.own_contribution_pct:
        found.append(_own_contribution(programme, project))
    if programme.target_groups:
        found.append(_target_group(programme, project))
    return found


def is_eligible(found: list[Verdict]) -> bool:
    return all(verdict.met is True for verdict in found)
