"""python -m testing.corpus OUTDIR [--per-layout N] [--seed S] [--scans]"""

import argparse
from pathlib import Path

from testing.corpus import write

ap = argparse.ArgumentParser(description="Write the independent reader corpus (PDF + JSON truth).")
ap.add_argument("out", type=Path)
ap.add_argument("--per-layout", type=int, default=1)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--scans", action="store_true")
a = ap.parse_args()
print(write(a.out, a.per_layout, a.seed, a.scans), "documents")
