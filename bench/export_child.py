"""Runs one Excel export in its own process, so that its peak memory is its own.

    python -m bench.export_child tour DATABASE_URL OUT.xlsx LOCALE
    python -m bench.export_child floor DATABASE_URL OUT.xlsx LOCALE

Prints one JSON line: {"seconds": …, "peak_mb": …, ...}. `floor` is the export's reference:
its gathering queries alone plus the fastest writer writing the same cells.
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
    from extensions import settle_process

    app = seed_app(database_url, Path(out).parent / "export-instance")
    settle_process()  # as the job worker is, before its first job
    from reporting.services import write_tour_workbook

    with app.app_context(), app.test_request_context(f"/?lang={locale}"):
        started, cpu = time.perf_counter(), time.process_time()
        write_tour_workbook(out, locale)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"seconds": seconds, "cpu": cpu}


def floor(database_url: str, out: str, locale: str) -> dict:
    """The export's floor: the gathering queries alone (the export run with a writer that
    discards its cells), plus writing the same cells, as plain values, with the fastest writer
    installed (`WRITERS`: each timed apart, the fastest taken)."""
    import exports.workbook as workbook
    from bench.server import seed_app
    from extensions import settle_process

    app = seed_app(database_url, Path(out).parent / "export-instance")
    settle_process()  # as the job worker is, before its first job
    from reporting.services import write_tour_workbook

    cells: dict[str, list] = {}
    recording = False

    def write(sheet, values, formats, look, *, format_text, measure=True):
        if recording:
            cells.setdefault(sheet.title, []).append(list(values))
        sheet.rows += 1

    def write_plain(sheet, values):
        write(sheet, values, (), "plain", format_text=False)

    workbook.Sheet._write = write  # every row the export writes goes through one of these two
    workbook.Sheet._write_plain = write_plain
    workbook.WorkbookWriter.save = lambda book: None
    with app.app_context(), app.test_request_context(f"/?lang={locale}"):
        started, cpu = time.perf_counter(), time.process_time()
        write_tour_workbook(out, locale)
        gather, gather_cpu = time.perf_counter() - started, time.process_time() - cpu
        recording = True
        write_tour_workbook(out, locale)
    result = {"gather": gather, "cells": sum(len(r) for rows in cells.values() for r in rows)}
    timings = write_cells(cells, out)
    result.update({name: wall for name, (wall, _cpu) in timings.items()})
    fastest = min(timings, key=lambda name: timings[name][0])
    result["writer"] = fastest
    result["seconds"] = gather + timings[fastest][0]
    result["cpu"] = gather_cpu + timings[fastest][1]
    return result


# Every writer measured, each at its fastest path for plain values: XlsxWriter (pure Python,
# constant_memory, row by row), rustpy-xlsxwriter (Rust, a list of dicts a sheet) and
# rvgsrust-xlsxwriter (Rust, the export's own writer: a sheet's rows in one call).
WRITERS = ("xlsxwriter", "rustpy-xlsxwriter", "rvgsrust-xlsxwriter")


def write_cells(cells: dict[str, list], out: str) -> dict:
    """(wall, CPU) seconds each writer takes to write these rows (values only) to a file."""
    import xlsxwriter

    timings = {}
    started, cpu = time.perf_counter(), time.process_time()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False})
    for title, rows in cells.items():
        sheet = book.add_worksheet(title)
        for number, row in enumerate(rows):
            sheet.write_row(number, 0, row)
    book.close()
    timings["xlsxwriter"] = (time.perf_counter() - started, time.process_time() - cpu)
    try:
        import rustpy_xlsxwriter
    except ImportError:  # a dev dependency: measured where installed
        rustpy_xlsxwriter = None
    if rustpy_xlsxwriter is not None:
        started, cpu = time.perf_counter(), time.process_time()
        entries = []
        for title, rows in cells.items():
            width = max((len(r) for r in rows), default=1)
            names = [f"c{i}" for i in range(width)]
            entries.append((title, [dict(zip(names, row, strict=False)) for row in rows]))
        rustpy_xlsxwriter.write_worksheets(entries, out)
        timings["rustpy-xlsxwriter"] = (time.perf_counter() - started, time.process_time() - cpu)
        del entries
    import rvgsrust_xlsxwriter

    started, cpu = time.perf_counter(), time.process_time()
    book = rvgsrust_xlsxwriter.Workbook(out)
    for title, rows in cells.items():
        book.add_worksheet(title, constant_memory=True).write_rows(0, 0, rows)
    book.close()
    timings["rvgsrust-xlsxwriter"] = (time.perf_counter() - started, time.process_time() - cpu)
    return timings


def main(argv: list[str]) -> None:
    mode = argv[0]
    result = (tour if mode == "tour" else floor)(argv[1], argv[2], argv[3])
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
