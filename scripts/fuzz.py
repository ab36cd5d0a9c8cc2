"""The long fuzz run: the strategies of the bounded tests, for minutes instead of seconds.

    .venv/bin/python scripts/fuzz.py --minutes 10 [--seed 1] [--target routes,sparql,yaml]

Hypothesis draws requests to every route, SPARQL requests and YAML data files
(``tests/support/fuzz_strategies.py``, shared with ``tests/test_fuzz_*.py``) in batches
of a few hundred, each batch from its own seed, until the time of each target
is spent. Every answer is judged by the checks of the tests; a failed check is a
finding, kept with its first input, not raised (no shrinking: the run goes on).
It prints, per target, the inputs tried, the statuses seen and the findings,
and exits 1 if there is any finding.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests import fuzz_strategies as fs  # noqa: E402

BATCH = 200
WEIGHTS = {"routes": 0.4, "sparql": 0.4, "yaml": 0.2}


@dataclass
class Tally:
    """What one target saw: inputs, outcomes, and findings by kind with a first example."""

    name: str
    inputs: int = 0
    seconds: float = 0.0
    outcomes: Counter = field(default_factory=Counter)
    findings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def found(self, kind: str, example: Any) -> None:
        entry = self.findings.setdefault(kind, {"count": 0, "example": repr(example)[:500]})
        entry["count"] += 1


class _ServerErrors(logging.Handler):
    """The exceptions behind 500s (webapp/errors.py logs them), to name a finding."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            frame = traceback.extract_tb(record.exc_info[2])[-1]
            self.seen.append(f"{record.exc_info[0].__name__} at "
                             f"{Path(frame.filename).name}:{frame.lineno}")


def _signature(error: BaseException, errors: _ServerErrors) -> str:
    first_line = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
    return errors.seen[-1] if errors.seen else f"{type(error).__name__}: {first_line}"


def _run_batches(tally: Tally, strategy: st.SearchStrategy, check: Any, seconds: float,
                 first_seed: int) -> None:
    """Draw from ``strategy`` in batches of BATCH examples until ``seconds`` are spent."""
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    batch = 0
    while time.monotonic() < deadline:
        @hypothesis_seed(first_seed + batch)
        @settings(max_examples=BATCH, deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @given(value=strategy)
        def run(value: Any) -> None:
            if time.monotonic() >= deadline:
                return
            tally.inputs += 1
            check(value)

        run()
        batch += 1
    tally.seconds = time.monotonic() - start


def fuzz_routes(seconds: float, first_seed: int) -> Tally:
    tally = Tally("routes")
    app, errors = _app()
    client = app.test_client()
    rules = sorted({rule.rule for rule in app.url_map.iter_rules()})

    def check(request: dict[str, Any]) -> None:
        errors.seen.clear()
        try:
            status = fs.run_request(client, request)
            tally.outcomes[status] += 1
        except (AssertionError, Exception) as error:  # noqa: BLE001 - every failure is a finding
            tally.outcomes["finding"] += 1
            tally.found(f"{request['rule']}: {_signature(error, errors)}",
                        {k: request[k] for k in ("method", "url", "headers")})

    try:
        _run_batches(tally, fs.http_requests(rules), check, seconds, first_seed)
    finally:
        app.extensions["crmkg"].engine.close()
    return tally


def fuzz_sparql(seconds: float, first_seed: int) -> Tally:
    tally = Tally("sparql")
    app, errors = _app()
    client = app.test_client()

    def check(request: dict[str, Any]) -> None:
        errors.seen.clear()
        try:
            response = client.open(request["url"], method=request["method"],
                                   headers=request["headers"], data=request["body"])
            body = response.get_data()
            tally.outcomes[response.status_code] += 1
            fs.check_sparql_answer(response.status_code, response.headers, body,
                                   request["method"])
        except (AssertionError, Exception) as error:  # noqa: BLE001 - every failure is a finding
            tally.outcomes["finding"] += 1
            tally.found(_signature(error, errors),
                        {"method": request["method"], "url": request["url"][:300],
                         "body": request["body"][:300]})

    try:
        _run_batches(tally, fs.sparql_requests(), check, seconds, first_seed)
    finally:
        app.extensions["crmkg"].engine.close()
    return tally


def fuzz_yaml(seconds: float, first_seed: int) -> Tally:
    from tests.support.data import DataCopy

    tally = Tally("yaml")
    with tempfile.TemporaryDirectory() as folder:
        root = DataCopy(Path(folder) / "data").root
        targets = ["terms/mql.yaml", "terms/zz-new-term.yaml", "collections.yaml",
                   "sources.yaml"]
        originals = {t: (root / t).read_bytes() if (root / t).exists() else None
                     for t in targets}
        mql = originals["terms/mql.yaml"].decode("utf-8")
        strategy = st.tuples(st.sampled_from(targets), fs.yaml_inputs(mql))

        def check(value: tuple[str, bytes]) -> None:
            target, content = value
            path = root / target
            path.write_bytes(content)
            try:
                tally.outcomes[fs.check_load(root)] += 1
            except (AssertionError, Exception) as error:  # noqa: BLE001 - a finding
                tally.outcomes["finding"] += 1
                tally.found(f"{target}: {type(error).__name__}: {str(error)[:120]}", content)
            finally:
                if originals[target] is None:
                    path.unlink()
                else:
                    path.write_bytes(originals[target])

        _run_batches(tally, strategy, check, seconds, first_seed)
    return tally


def _app() -> tuple[Any, _ServerErrors]:
    from webapp import create_app

    errors = _ServerErrors()
    log = logging.getLogger("webapp.errors")
    log.addHandler(errors)
    log.propagate = False
    app = create_app({"TESTING": True, "SPARQL_WORKERS": 2, "SPARQL_TIMEOUT": 5.0})
    app.extensions["crmkg"].engine.start()
    return app, errors


TARGETS = {"routes": fuzz_routes, "sparql": fuzz_sparql, "yaml": fuzz_yaml}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="whole run (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument("--target", default=",".join(TARGETS),
                        help="comma-separated: routes, sparql, yaml (default: all)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args(argv)
    chosen = [t.strip() for t in options.target.split(",") if t.strip()]
    weight = sum(WEIGHTS[t] for t in chosen)
    tallies = []
    for name in chosen:
        seconds = options.minutes * 60 * WEIGHTS[name] / weight
        print(f"{name}: {seconds:.0f} s …", flush=True)
        tally = TARGETS[name](seconds, options.seed * 1_000_000)
        tallies.append(tally)
        _report(tally)
    if options.json:
        options.json.write_text(json.dumps([{
            "target": t.name, "inputs": t.inputs, "seconds": round(t.seconds, 1),
            "outcomes": {str(k): v for k, v in t.outcomes.items()},
            "findings": t.findings} for t in tallies], indent=2, ensure_ascii=False))
    return 1 if any(t.findings for t in tallies) else 0


def _report(tally: Tally) -> None:
    outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(tally.outcomes.items(), key=str))
    print(f"  {tally.name}: {tally.inputs} inputs in {tally.seconds:.0f} s "
          f"({tally.inputs / max(tally.seconds, 1e-9):.1f}/s); {outcomes}")
    if not tally.findings:
        print("  findings: none")
    for kind, entry in tally.findings.items():
        print(f"  FINDING ×{entry['count']}: {kind}\n    first input: {entry['example']}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
