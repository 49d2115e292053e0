"""Who judges which idea, pure: same input, same output.

Not split: every judge scores every idea. Split panels: each idea gets K judges (fewer only when
the jury minus the conflicted judges is smaller than K), chosen among the least loaded judges so
that loads differ by at most one; ties are broken by a rotation on the idea's position so that
judges meet different colleagues. A judge with a declared conflict on an idea never gets it.
Existing assignments are kept (a scored sheet is never taken away); only the missing ones are added.
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
) -> dict[int, list[int]]:
    """New (idea → judges) pairs to create. per_idea=None: every judge on every idea.

    `everyone` lists ideas that every judge scores whatever K is (the calibration idea).
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
            free.sort(key=lambda j: (load[j], (judges.index(j) - position) % n))
            chosen = sorted(free[:missing])
            for j in chosen:
                load[j] += 1
        if chosen:
            new[idea] = chosen
    return new
