"""Command line: `python -m dialogs.nlu train | parse | evaluate | calibrate`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from dialogs.nlu import evaluate as evaluation
from dialogs.nlu import training_data
from dialogs.nlu.model import NluModel
from dialogs.nlu.paths import default_model_path, nlu_data_dir
from dialogs.nlu.tenants import DEMO_TENANTS, TenantCandidate


def _database_tenants() -> list[TenantCandidate]:
    """Every tenant of the configured database, or the guide's demo tenants when unreachable."""
    try:
        from services.core.db import make_uow_factory
        from services.core.settings import Settings
        from services.tenants.views import all_tenant_candidates

        settings = Settings()
        url = settings.effective_database_url
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            raise FileNotFoundError(url)  # connecting would create an empty database file
        rows = all_tenant_candidates(make_uow_factory(url)())
    except Exception as exc:  # any failure means "no database": fall back, say so
        names = ", ".join(t.canonical for t in DEMO_TENANTS)
        print(
            f"warning: database not reachable ({type(exc).__name__}); matching the demo "
            f"tenants {names}",
            file=sys.stderr,
        )
        return list(DEMO_TENANTS)
    if not rows:
        print(
            "warning: no tenant in the database; tenant names will not be matched", file=sys.stderr
        )
    return [TenantCandidate(tenant_id, first, last) for tenant_id, first, last in rows]


def _train(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    model = NluModel.train(args.data)
    elapsed = time.perf_counter() - start
    model.save(args.model)
    print(f"trained in {elapsed:.2f} s, saved to {args.model}")
    return 0


def _parse(args: argparse.Namespace) -> int:
    model = NluModel.load_or_train(args.model, args.data)
    tenants = _database_tenants()
    today = date.fromisoformat(args.today) if args.today else None
    for line in sys.stdin:
        text = line.rstrip("\n")
        if not text.strip():
            continue
        result = model.parse(text, tenants=tenants, today=today)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from dialogs.nlu import report as text

    data_dir = args.data or nlu_data_dir()
    data = training_data.load(data_dir)
    model = NluModel.train(data_dir)
    reports: dict[str, evaluation.Report] = {}
    sizes: dict[str, int] = {}
    by_name: dict[str, list[evaluation.Prediction]] = {}
    for name, path in evaluation.test_files().items():
        examples = training_data.load_examples([path])
        predictions = evaluation.predict(model, examples, trained_on=data.examples)
        by_name[name] = predictions
        reports[name] = evaluation.report(predictions, fallback_threshold=model.fallback_threshold)
        sizes[name] = len(examples)
    folds, predictions = evaluation.cross_validate(data, folds=args.folds)
    name = f"{args.folds}-fold CV"
    # Training sentences name people who are not tenants: names are scored on the held-out sets.
    reports[name] = evaluation.report(
        predictions,
        fallback_threshold=model.fallback_threshold,
        skip_entities=frozenset({"tenant_name"}),
    )
    sizes[name] = len(predictions)
    by_name[name] = predictions
    print(text.summary(reports, sizes))
    print(f"CV folds: {', '.join(f'{a:.3f}' for a in folds)}")
    print()
    print(text.distances(by_name, cross_validation=name))
    for name, rep in reports.items():
        print()
        print(text.details(name, rep, errors=args.errors))
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from dialogs.nlu.calibration import calibrate

    data = training_data.load(args.data or nlu_data_dir())
    _, predictions = evaluation.cross_validate(data, folds=args.folds)
    threshold, margin = calibrate(predictions, start_threshold=0.35)
    print(f"fallback threshold: {threshold.value:.2f} (cost {threshold.cost:.1f})")
    print(f"ambiguity margin:   {margin.value:.2f} (cost {margin.cost:.1f})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dialogs.nlu", description=__doc__)
    parser.add_argument(
        "--model", type=Path, default=default_model_path(), help="model file (default: %(default)s)"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="training data folder (default: the bundled nlu_data)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("train", help="train and save the model").set_defaults(run=_train)
    parse = commands.add_parser("parse", help="one message per stdin line -> one JSON per line")
    parse.add_argument("--today", help="reference date YYYY-MM-DD for relative dates")
    parse.set_defaults(run=_parse)
    evaluate = commands.add_parser(
        "evaluate", help="both held-out sets and k-fold cross-validation, per intent and entity"
    )
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument("--errors", action="store_true", help="list what was missed")
    evaluate.set_defaults(run=_evaluate)
    calibrate = commands.add_parser(
        "calibrate", help="choose the fallback threshold and ambiguity margin on CV predictions"
    )
    calibrate.add_argument("--folds", type=int, default=5)
    calibrate.set_defaults(run=_calibrate)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
