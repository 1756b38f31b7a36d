"""What the benchmark scripts share: the import path, offline settings, and how they measure.

Imported first by each script (``bench/`` is on ``sys.path`` when a script in it runs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def pct(values: list[float], p: float) -> float:
    """The ``p`` quantile (0..1) of ``values``, nearest rank; 0 when empty."""
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))] if v else 0.0


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def dir_mb(path: Path) -> float:
    """Size of the files under ``path``, in MB."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 2**20
