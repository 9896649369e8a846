"""The worker's peak resident memory against DESIGN.md's 150 MB target.

Run: .venv/bin/python bench/bench_worker_memory.py
Builds a migrated, seeded SQLite database (with demo dossiers) in a temporary folder
unless DATABASE_URL is given, runs `motcua worker --once` as a child process (every job
once) and prints the child's peak RSS, with the interpreter's own baseline measured the
same way in the same run (`python -c pass`) for scale.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTCUA = Path(sys.executable).with_name("motcua")
TARGET_MB = 150


_MEASURE = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mb(cmd: list[str], env: dict[str, str]) -> float:
    """Peak RSS of `cmd`, measured by a fresh wrapper process whose only child it is."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return int(out.strip()) / 1024


def main() -> None:
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        folder = tempfile.mkdtemp(prefix="motcua-bench-")
        env["DATABASE_URL"] = f"sqlite:///{folder}/bench.db"
        print("Preparing a seeded SQLite database…")
        subprocess.run([str(MOTCUA), "db", "upgrade"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(MOTCUA), "seed", "--demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    baseline = peak_rss_mb([sys.executable, "-c", "pass"], env)
    worker = peak_rss_mb([str(MOTCUA), "worker", "--once"], env)
    verdict = "OK" if worker <= TARGET_MB else "OVER TARGET"
    print(f"  bare interpreter peak RSS: {baseline:6.1f} MB")
    print(f"  motcua worker --once peak: {worker:6.1f} MB ({worker / TARGET_MB:.2f} of {TARGET_MB} MB) {verdict}")


if __name__ == "__main__":
    main()
