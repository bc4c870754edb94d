"""PDF receipt time: one rent receipt rendered with reportlab, as sent after "Valider".

    python benchmarks/pdf_receipt.py [--rounds 200]

Prints the median and 99th percentile of wall and CPU time per receipt, and its size.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.documents.receipts import Receipt, render_receipt

RECEIPT = Receipt(
    title="Déclaration du loyer de juillet 2026",
    organisation="LES OLIVIERS",
    reference="LOY-2026-ABCDEFGH",
    issued_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    rows=(
        ("Locataire", "BRISSON Isabelle"),
        ("Numéro allocataire", "171842"),
        ("Adresse", "12 rue des Lilas, 14000 Caen"),
        ("Loyer de juillet 2026", "330,00 €"),
        ("Colocation", "Non"),
        ("Transmis par", "Claire OLIVIER"),
    ),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    size = len(render_receipt(RECEIPT))  # warm-up: fonts, styles
    wall, cpu = [], []
    for _ in range(args.rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        render_receipt(RECEIPT)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    wall.sort()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"receipt: wall median {statistics.median(wall):.2f} ms, p99 "
        f"{wall[int(0.99 * len(wall))]:.2f} ms, CPU median {statistics.median(cpu):.2f} ms, "
        f"{size} bytes; load average {load}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
