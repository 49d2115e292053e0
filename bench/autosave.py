"""Benchmark 4: jury members tapping scores at once, through the judging autosave endpoint."""


def available() -> bool:
    return False


def run(kind, workdir, judges, duration, figure) -> None:  # pragma: no cover - filled in below
    raise NotImplementedError
