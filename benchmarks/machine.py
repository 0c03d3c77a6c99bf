import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def describe(vendor: str) -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, database {vendor}"
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def start_django(database: str) -> None:
    """Set Django up for a benchmark: on DATABASE_URL when it is set, otherwise on a fresh
    SQLite file ``var/<database>.sqlite3``."""
    if "DATABASE_URL" not in os.environ:
        db = ROOT / "var" / f"{database}.sqlite3"
        db.parent.mkdir(exist_ok=True)
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    import django

    django.setup()
