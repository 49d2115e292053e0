"""Runs one Excel export in its own process, so that its peak memory is its own.

    python -m bench.export_child tour DATABASE_URL OUT.xlsx LOCALE
    python -m bench.export_child reference - OUT.xlsx ROWS COLUMNS

Prints one JSON line: {"seconds": …, "peak_mb": …, ...}.
"""

import json
import resource
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    """This process's own peak resident memory. VmHWM, not ru_maxrss: on Linux ru_maxrss
    survives fork and exec, so a child started by a big parent reports the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def tour(database_url: str, out: str, locale: str) -> dict:
    from bench.server import seed_app

    app = seed_app(database_url, Path(out).parent / "export-instance")
    from reporting.services import write_tour_workbook

    with app.app_context(), app.test_request_context(f"/?lang={locale}"):
        started = time.perf_counter()
        write_tour_workbook(out, locale)
        seconds = time.perf_counter() - started
    return {"seconds": seconds}


def reference(out: str, rows: int, columns: int) -> dict:
    """openpyxl write-only, the same number of cells as plain values: the floor for any export."""
    from openpyxl import Workbook

    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cells")
    row = [f"cellule {c}" if c % 2 else c * 1.5 for c in range(columns)]
    for _ in range(rows):
        sheet.append(row)
    workbook.save(out)
    return {"seconds": time.perf_counter() - started}


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "tour":
        result = tour(argv[1], argv[2], argv[3])
    else:
        result = reference(argv[2], int(argv[3]), int(argv[4]))
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
