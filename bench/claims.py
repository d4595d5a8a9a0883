"""Claim export (issue 18): a month's 837P for 20 trainers, about 4,000 claim lines (2,000 ready claims
of two lines each, 100 clients), exported as the Claims page and the CLI do (claims.export_837: load
the claims, build each claim's document, write the interchange, seal and keep the file, mark every
claim exported with its status change, audit, commit), against the bare floor in the same process:
one plain SQL read of the same lines joined to their claims and clients, formatted into 837-like
segment text with no validation, sealing or bookkeeping. Run by `python -m bench` or alone with
`python -m bench.claims`. Target: under 10 s on a 2-core machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRAINERS = 20
CLIENTS = 100
CLAIMS = 2000
MONTH = (date(2026, 10, 1), date(2026, 10, 31))


def prepare(folder: Path) -> dict[str, str]:
    from metpwa import keys

    keys.main(["init", str(folder / "keys" / "keyring.json")])
    env = {"METPWA_DATABASE_URL": f"sqlite:///{folder}/claims.sqlite3", "METPWA_SECRET_KEY": "bench-secret",
           "METPWA_ENV": "production", "METPWA_KEYRING_FILE": str(folder / "keys" / "keyring.json")}
    subprocess.run([sys.executable, "-m", "flask", "--app", "metpwa", "db", "upgrade"], cwd=ROOT, check=True,
                   env={**os.environ, **env}, capture_output=True)
    return env


def measure(env: dict[str, str]) -> dict:
    completed = subprocess.run([sys.executable, "-m", "bench.claims", "--inside"], cwd=ROOT, check=True,
                               env={**os.environ, **env}, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _populate():
    """A practice with 20 MES trainers and 2,000 ready claims in October, made straight from the models."""
    from metpwa.demo.billing import npi as _npi
    from metpwa.extensions import db
    from metpwa.models import (
        BillingProvider,
        Claim,
        ClaimDiagnosis,
        ClaimLine,
        Client,
        Coverage,
        Payer,
        Referral,
        ReferringProvider,
        RenderingProvider,
        SessionLog,
        User,
    )
    from metpwa.permissions import Role
    from metpwa.services import staff

    practice = staff.create_practice("Bench Medical Exercise", "America/Chicago")
    db.session.flush()
    biller = User(practice_id=practice.id, email="biller@bench.example", full_name="Bea Biller", role=Role.BILLER,
                  password_hash="x")
    trainers = [User(practice_id=practice.id, email=f"t{n}@bench.example", full_name=f"Trainer {n}",
                     role=Role.TRAINER, password_hash="x") for n in range(TRAINERS)]
    db.session.add_all([biller, *trainers])
    billing = BillingProvider(practice_id=practice.id, name="Bench Medical Exercise LLC", npi=_npi("145678901"),
                              tax_id="36-1234567", address_line1="120 W Madison St", city="Chicago", state="IL",
                              postal_code="60602-1234", phone="(312) 555-0100")
    payer = Payer(practice_id=practice.id, name="Prairie Health Plan", payer_id="PHP01", accepts_mes=True,
                  mes_codes=["97110", "97530"])
    referring = ReferringProvider(practice_id=practice.id, first_name="Ana", last_name="Reyes", npi=_npi("189012345"))
    db.session.add_all([billing, payer, referring])
    db.session.flush()
    rendering = [RenderingProvider(practice_id=practice.id, user_id=t.id, first_name="Trainer", last_name=str(n),
                                   credential="mes", npi=_npi(f"17{n:07d}")) for n, t in enumerate(trainers)]
    clients = [Client(practice_id=practice.id, first_name=f"Client{n}", last_name="Bench", date_of_birth=date(1950, 1, 1),
                      sex="F", address_line1="1 Main St", city="Chicago", state="IL", postal_code="60601")
               for n in range(CLIENTS)]
    db.session.add_all(rendering + clients)
    db.session.flush()
    coverages, referrals = [], []
    for client in clients:
        coverages.append(Coverage(practice_id=practice.id, client_id=client.id, payer_name=payer.name,
                                  payer_id="PHP01", payer_record_id=payer.id, member_id=f"XQP{client.id:09d}"))
        referrals.append(Referral(practice_id=practice.id, client_id=client.id, provider_id=referring.id,
                                  referred_on=date(2026, 9, 1), reason="Knee osteoarthritis"))
    db.session.add_all(coverages + referrals)
    db.session.flush()
    start = datetime(2026, 10, 1, 14, tzinfo=UTC)
    for n in range(CLAIMS):
        client, coverage, referral = clients[n % CLIENTS], coverages[n % CLIENTS], referrals[n % CLIENTS]
        trainer, provider = trainers[n % TRAINERS], rendering[n % TRAINERS]
        when = start + timedelta(days=(n // 70) % 31, minutes=n % 70)
        session = SessionLog(practice_id=practice.id, client_id=client.id, trainer_id=trainer.id, started_at=when,
                             minutes_therapeutic_exercise=33, minutes_functional_activities=7, scope_overrides=[],
                             signed_at=when + timedelta(hours=1), signed_by_id=trainer.id)
        db.session.add(session)
        db.session.flush()
        claim = Claim(practice_id=practice.id, client_id=client.id, payer_id=payer.id, coverage_id=coverage.id,
                      billing_provider_id=billing.id, referral_id=referral.id, patient_control_number=f"C{n:07d}",
                      status="ready", payment_route="payer_accepts_mes", claim_route="837p",
                      total_charge=Decimal("140.00"), created_by_id=biller.id)
        claim.diagnoses = [ClaimDiagnosis(practice_id=practice.id, position=1, code="M17.11"),
                           ClaimDiagnosis(practice_id=practice.id, position=2, code="R26.89")]
        claim.lines = [ClaimLine(practice_id=practice.id, position=i, line_control_number=f"L{n:07d}{i}",
                                 service_date=when.date(), code=code, modifiers=[], units=units,
                                 charge=Decimal(charge), diagnosis_pointers=[1, 2], minutes=minutes,
                                 session_id=session.id, performed_by_id=provider.id, rendering_provider_id=provider.id)
                       for i, (code, units, charge, minutes) in enumerate((("97110", 2, "90.00", 33),
                                                                           ("97530", 1, "50.00", 7)), start=1)]
        db.session.add(claim)
    db.session.commit()
    return practice.id, biller.id


def _floor(practice_id: int) -> tuple[float, int]:
    """The least an export could do: one read of the lines with their claim and client, as text."""
    from sqlalchemy import text

    from metpwa.extensions import db

    started = time.perf_counter()
    rows = db.session.execute(text(
        "SELECT c.patient_control_number, c.total_charge, cl.first_name, cl.last_name, l.code, l.units, l.charge, "
        "l.service_date, l.line_control_number FROM claim_line l JOIN claim c ON c.id = l.claim_id "
        "JOIN client cl ON cl.id = c.client_id WHERE c.practice_id = :p ORDER BY c.id, l.position"),
        {"p": practice_id}).all()
    out = []
    for pcn, total, first, last, code, units, charge, day, lcn in rows:
        out.append(f"NM1*QC*1*{last}*{first}~CLM*{pcn}*{total}~SV1*HC:{code}*{charge}*UN*{units}~DTP*472*D8*{day}~"
                   f"REF*6R*{lcn}~")
    content = "".join(out)
    return time.perf_counter() - started, len(content)


def _inside() -> None:
    from sqlalchemy import func, select

    from metpwa import create_app
    from metpwa.extensions import db
    from metpwa.models import ClaimLine, User
    from metpwa.services import claims

    app = create_app()
    with app.test_request_context("/"):
        made = time.perf_counter()
        practice_id, biller_id = _populate()
        made = time.perf_counter() - made
        floor = min(_floor(practice_id)[0] for _ in range(3))
        lines = db.session.scalar(select(func.count(ClaimLine.id)))
        db.session.expire_all()
        profile = None
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            profile = cProfile.Profile()
            profile.enable()
        started = time.perf_counter()
        ready = claims.ready_in_period(practice_id, *MONTH)
        export = claims.export_837(db.session.get(User, biller_id), ready, period=MONTH)
        elapsed = time.perf_counter() - started
        if profile is not None:
            profile.disable()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
    print(json.dumps({"claims": export.batch.claim_count, "lines": lines, "export": elapsed, "floor": floor,
                      "kb": len(export.content) / 1024, "setup": made}))


def lines(figures: dict) -> list[str]:
    met = "met" if figures["export"] < 10 else "NOT met"
    return [
        (f"claim export (837P for {TRAINERS} trainers, one month: {figures['claims']} ready claims, "
         f"{figures['lines']} lines, {CLIENTS} clients)"),
        (f"  export (load, documents, write, seal, mark exported, audit, commit): {figures['export']:.2f} s "
         f"(target < 10 s: {met}); file {figures['kb']:.0f} KB"),
        (f"  floor (one SQL read of the lines formatted as segments): {figures['floor']:.2f} s; "
         f"ratio {figures['export'] / figures['floor']:.1f}x"),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="metpwa-bench-claims-") as tmp:
        figures = measure(prepare(Path(tmp)))
    print("\n".join(lines(figures)))


if __name__ == "__main__":
    if "--inside" in sys.argv:
        _inside()
    else:
        main()
