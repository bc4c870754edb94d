"""How long the campaign's tenant list takes for a large organisation: what « déclarer les
loyers » (the tenant question), the weekly reminder and the end of a bulk declaration read.

A fresh demo database in a temporary folder, the generated organisation of `seed --large`, then
`rent_campaign` for its administrator, 10 times after 2 untimed ones; prints the CPU median.

    python benchmarks/campaign_list.py [--tenants 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select

from bot.bootstrap import build_app
from services.accounts.models import User
from services.core.settings import Settings
from services.declarations.views import rent_campaign
from services.demo.large import seed_large

TODAY = date(2026, 7, 10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Settings(BAILLEUR_DATA_DIR=Path(folder)))
        app.migrate()
        app.load_demo()
        large = seed_large(app.uow_factory(), today=TODAY, tenants=args.tenants)
        with app.uow_factory() as uow:
            user_id = uow.session.scalars(select(User.id).where(User.login == large.login)).one()
        for _ in range(2):
            rent_campaign(app.uow_factory(), user_id=user_id, today=TODAY)
        cpu = []
        for _ in range(10):
            start = time.process_time()
            campaign = rent_campaign(app.uow_factory(), user_id=user_id, today=TODAY)
            cpu.append((time.process_time() - start) * 1000)
        cpu.sort()
        print(f"{len(campaign.lines)} tenants listed: CPU median {cpu[len(cpu) // 2]:.1f} ms")
        app.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
