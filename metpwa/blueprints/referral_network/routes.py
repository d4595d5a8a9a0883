"""Referral sources, one source's page, relationship activities and follow-ups, and what MET achieved."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import current_user

from ...access import requires
from ...charts import bar_chart_svg
from ...clock import practice_today
from ...models import ReferringProvider, RelationshipActivity
from ...rules import referral_network as network_rules
from ...scoping import get_for_practice
from ...services import audit, network, printing
from ...standards.measures import MEASURES
from ...standards.referral_network import (
    ACTIVITY_KIND_LABELS,
    DELIVERY_LABELS,
    MIN_CELL_CLIENTS,
    QUIET_AFTER_DAYS,
    SOURCE_KIND_LABELS,
)
from . import bp
from .forms import read_activity, read_filters, read_source

LABELS = {"kinds": SOURCE_KIND_LABELS, "activity_kinds": ACTIVITY_KIND_LABELS, "deliveries": DELIVERY_LABELS,
          "quiet_after": QUIET_AFTER_DAYS, "min_cell": MIN_CELL_CLIENTS}


@bp.get("/referral-sources")
@requires("network.view")
def sources():
    filters = read_filters(request.args)
    practice = current_user.practice
    rows = network.source_rows(practice, kind=filters.kind, specialty=filters.specialty)
    audit.viewed(practice_id=practice.id, detail={"list": "referral sources", "kind": filters.kind,
                                                  "specialty": filters.specialty})
    return render_template("referral_network/sources.html", rows=rows, filters=filters,
                           specialties=network.specialties(practice.id), follow_ups=network.follow_ups(practice),
                           **LABELS)


def _activity_form():
    practice = current_user.practice
    return {"staff": [u for u in practice.staff if u.active], "all_sources": network.providers(practice.id),
            "today": practice_today(practice)}


def _source_page(provider: ReferringProvider, *, activity=None, status=200):
    practice = current_user.practice
    rows = network.referrals_for(practice, provider.id)
    months = network.referral_months(practice, rows)
    chart = bar_chart_svg([(f"{m:%b}", n) for m, n in months], title="Referrals by month", unit="referrals") \
        if rows else None
    conversion = network.conversion(practice, rows).get(provider.id)
    timings = network.report_timings(practice, rows)
    tally = network_rules.reports_by_source((provider.id, t) for _, t in timings).get(provider.id)
    everything = network.activities(practice.id, provider.id)
    due = [(f, a) for f, a in network.follow_ups(practice) if provider.id in f.source_refs]
    return render_template(
        "referral_network/source.html", provider=provider, referrals=rows, chart=chart, conversion=conversion,
        timings=timings, tally=tally, activities=everything, follow_ups=due, activity=activity,
        **_activity_form(), **LABELS), status


@bp.get("/referral-sources/<int:provider_id>")
@requires("network.view")
def source(provider_id: int):
    provider = get_for_practice(ReferringProvider, provider_id)
    audit.viewed(provider)
    return _source_page(provider)


@bp.route("/referral-sources/<int:provider_id>/edit", methods=["GET", "POST"])
@requires("network.edit")
def edit_source(provider_id: int):
    provider = get_for_practice(ReferringProvider, provider_id)
    errors: dict[str, str] = {}
    typed = {name: getattr(provider, name) or "" for name in (
        "first_name", "last_name", "credentials", "kind", "specialty", "organization", "address", "npi", "phone",
        "fax", "email", "preferred_delivery")}
    if request.method == "POST":
        entry = read_source(request.form)
        if not entry.errors:
            network.update_source(current_user, provider, entry.values)
            return redirect(url_for("referral_network.source", provider_id=provider.id), code=303)
        errors, typed = entry.errors, entry.typed
    return render_template("referral_network/edit.html", provider=provider, typed=typed, errors=errors,
                           **LABELS), 422 if errors else 200


@bp.post("/referral-sources/<int:provider_id>/activities")
@requires("network.edit")
def add_activity(provider_id: int):
    provider = get_for_practice(ReferringProvider, provider_id)
    practice = current_user.practice
    entry = read_activity(request.form, today=practice_today(practice),
                          staff_ids={u.id for u in practice.staff if u.active},
                          source_ids={p.id for p in network.providers(practice.id)})
    if entry.errors:
        return _source_page(provider, activity=entry, status=422)
    network.add_activity(current_user, kind=entry.kind, held_on=entry.held_on, staff_id=entry.staff_id,
                         source_ids=list(entry.source_ids), notes=entry.notes, follow_up_on=entry.follow_up_on)
    return redirect(url_for("referral_network.source", provider_id=provider.id, _anchor="activities"), code=303)


@bp.get("/referral-network/activities/<int:activity_id>")
@requires("network.view")
def activity(activity_id: int):
    found = get_for_practice(RelationshipActivity, activity_id)
    audit.viewed(found)
    return render_template("referral_network/activity.html", activity=found, today=practice_today(current_user.practice),
                           **LABELS)


@bp.post("/referral-network/activities/<int:activity_id>/done")
@requires("network.edit")
def follow_up_done(activity_id: int):
    found = get_for_practice(RelationshipActivity, activity_id)
    network.follow_up_done(current_user, found)
    return redirect(url_for("referral_network.activity", activity_id=found.id), code=303)


@bp.get("/referral-network/follow-ups")
@requires("network.view")
def follow_ups():
    practice = current_user.practice
    audit.viewed(practice_id=practice.id, detail={"list": "referral follow-ups"})
    return render_template("referral_network/follow_ups.html", follow_ups=network.follow_ups(practice),
                           providers={p.id: p for p in network.providers(practice.id, include_retired=True)}, **LABELS)


def _measure_chart(figures: network_rules.Effectiveness, title: str) -> str | None:
    shown = [(MEASURES[key].name if key in MEASURES else key, cell.value) for key, cell in figures.measures.items()
             if not cell.suppressed]
    return bar_chart_svg(shown, title=title, unit="% of clients", top=100) if shown else None


def _effectiveness(provider: ReferringProvider | None):
    view = network.effectiveness(current_user.practice)
    figures = view.by_source.get(provider.id) if provider else view.practice
    if figures is None:
        figures = network_rules.effectiveness([])
    who = provider.display_name if provider else "all referral sources"
    return figures, _measure_chart(figures, f"Reached meaningful change, {who}"), view


@bp.get("/referral-network/effectiveness")
@requires("network.view")
def effectiveness():
    figures, chart, view = _effectiveness(None)
    providers = {p.id: p for p in network.providers(current_user.practice_id, include_retired=True)}
    # Aggregates only, but still a read of the practice's outcomes: recorded like any report page.
    audit.viewed(practice_id=current_user.practice_id, detail={"report": "effectiveness"})
    return render_template("referral_network/effectiveness.html", figures=figures, chart=chart, provider=None,
                           by_source=[(providers[ref], f) for ref, f in view.by_source.items() if ref in providers],
                           measures=MEASURES, **LABELS)


@bp.get("/referral-sources/<int:provider_id>/effectiveness")
@requires("network.view")
def source_effectiveness(provider_id: int):
    provider = get_for_practice(ReferringProvider, provider_id)
    figures, chart, _ = _effectiveness(provider)
    audit.viewed(provider, detail={"report": "effectiveness"})
    return render_template("referral_network/effectiveness.html", figures=figures, chart=chart, provider=provider,
                           by_source=[], measures=MEASURES, **LABELS)


def _pdf(provider: ReferringProvider | None) -> Response:
    figures, chart, _ = _effectiveness(provider)
    practice = current_user.practice
    # De-identified aggregates (no cell under MIN_CELL_CLIENTS clients), so not a disclosure of any
    # client's record; still a copy leaving the app, so it is recorded as an export, before it is sent.
    audit.exported(provider, practice_id=practice.id,
                   detail={"document": "effectiveness", "source": provider.id if provider else None,
                           "clients": figures.discharged.clients})
    data = printing.document_pdf(
        "pdf/effectiveness.html", practice=practice, provider=provider, figures=figures, chart=chart,
        measures=MEASURES, today=practice_today(practice),
        document_title="What medical exercise achieved", document_subject=(
            f"For {provider.display_name}{', ' + provider.organization if provider.organization else ''}"
            if provider else "All referral sources"), **LABELS)
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="met-effectiveness.pdf"'
    return response


@bp.post("/referral-network/effectiveness.pdf")
@requires("network.view")
def effectiveness_pdf():
    return _pdf(None)


@bp.post("/referral-sources/<int:provider_id>/effectiveness.pdf")
@requires("network.view")
def source_effectiveness_pdf(provider_id: int):
    return _pdf(get_for_practice(ReferringProvider, provider_id))
