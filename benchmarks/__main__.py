"""Run every benchmark: `make bench` (or `python -m benchmarks [name ...]`)."""

import sys

from benchmarks import insights_dashboard, linkage, notification_latency, search

BENCHMARKS = {
    "notification_latency": notification_latency.main,
    "insights_dashboard": insights_dashboard.main,
    "linkage": linkage.main,
    "search": search.main,
}


def main() -> None:
    chosen = sys.argv[1:] or list(BENCHMARKS)
    for name in chosen:
        BENCHMARKS[name]()


if __name__ == "__main__":
    main()
