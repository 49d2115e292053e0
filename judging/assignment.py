"""Who judges which idea, pure: same input, same output.

Not split: every judge scores every idea. Split panels: each idea gets K judges (fewer only when
the jury minus the conflicted judges is smaller than K), chosen among the least loaded judges so
that loads differ by at most one; ties are broken by a rotation on the idea's position so that
judges meet different colleagues. A judge with a declared conflict on an idea never gets it.
Existing assignments are kept (a scored sheet is never taken away); only the missing ones are added.

Panels (split events whose jury sits in two or more panels): the ideas are dealt to the panels in
turn, and each idea's K judges are taken from its panel first; other panels' judges only make up
the number when the panel has too few free judges (small panel, conflicts).
"""

from collections.abc import Iterable, Mapping


def assign(
    ideas: Iterable[int],
    judges: Iterable[int],
    *,
    per_idea: int | None,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Mapping[int, Iterable[int]] | None = None,
    everyone: Iterable[int] = (),
    panels: Mapping[int, int] | None = None,
) -> dict[int, list[int]]:
    """New (idea → judges) pairs to create. per_idea=None: every judge on every idea.

    `everyone` lists ideas that every judge scores whatever K is (the calibration idea);
    `panels` maps each judge to their panel number (used only when K is set).
    """
    ideas = sorted(set(ideas))
    judges = sorted(set(judges))
    blocked = set(conflicts)
    existing = {idea: set(js) for idea, js in (existing or {}).items()}
    everyone = set(everyone)
    load = {j: 0 for j in judges}
    for idea, js in existing.items():
        if idea in everyone:
            continue
        for j in js:
            if j in load:
                load[j] += 1

    panel_of = dict(panels or {})
    panel_numbers = sorted({panel_of.get(j, 1) for j in judges})
    split = per_idea is not None and len(panel_numbers) > 1
    ranked = [idea for idea in ideas if idea not in everyone]
    home_panel = {idea: panel_numbers[i % len(panel_numbers)] for i, idea in enumerate(ranked)}

    new: dict[int, list[int]] = {}
    for position, idea in enumerate(ideas):
        have = existing.get(idea, set())
        free = [j for j in judges if j not in have and (idea, j) not in blocked]
        if per_idea is None or idea in everyone:
            chosen = free
        else:
            missing = per_idea - len(have & set(judges))
            if missing <= 0:
                continue
            n = len(judges)
            free.sort(
                key=lambda j: (
                    split and panel_of.get(j, 1) != home_panel.get(idea),  # own panel first
                    load[j],
                    (judges.index(j) - position) % n,
                )
            )
            chosen = sorted(free[:missing])
            for j in chosen:
                load[j] += 1
        if chosen:
            new[idea] = chosen
    return new
