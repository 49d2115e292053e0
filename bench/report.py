"""How the benchmarks print a figure: value | reference | ratio | target | verdict, for one run
or as min / median / max of N runs, with the machine's load average beside each run."""

from __future__ import annotations

import os
import statistics


def figure(
    name: str,
    value: float,
    reference: float,
    unit: str,
    target: str,
    ok: bool,
    verdict: bool = True,
) -> None:
    """One line: value | reference | ratio | target | PASS/FAIL (or "-" for a figure printed
    for information, with no target of its own)."""
    ratio = value / reference if reference else float("inf")
    outcome = ("PASS" if ok else "FAIL") if verdict else "-"
    print(
        f"  {name}: {value:.3f} {unit} | reference {reference:.3f} {unit} | ratio {ratio:.2f} "
        f"| target {target} | {outcome}",
        flush=True,
    )


def load_average() -> str:
    """The machine's load average (1, 5, 15 min), printed with every run: this machine is
    shared, and a figure means little without the load it was taken under."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def spread(values: list[float], fmt: str = "{:.3f}") -> str:
    """min / median / max of the runs."""
    return " / ".join(fmt.format(v) for v in (min(values), statistics.median(values), max(values)))


def ratios(values: list[float], references: list[float]) -> list[float]:
    return [v / r if r else float("inf") for v, r in zip(values, references, strict=True)]


def figure_runs(
    name: str,
    values: list[float],
    references: list[float],
    unit: str,
    target: str,
    ok: bool,
    verdict: bool = True,
) -> None:
    """One line for N runs: min / median / max of the value, of the reference measured in the
    same runs, and of the run-by-run ratio."""
    outcome = ("PASS" if ok else "FAIL") if verdict else "-"
    print(
        f"  {name} ({len(values)} runs, min / median / max): {spread(values)} {unit} | "
        f"reference {spread(references)} {unit} | ratio {spread(ratios(values, references), '{:.2f}')}"
        f" | target {target} | {outcome}",
        flush=True,
    )
