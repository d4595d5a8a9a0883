"""Template helpers: versioned static URLs, times in the practice's zone, US formats."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from flask_login import current_user
from markupsafe import Markup

from .permissions import document_capability
from .rules.outcomes import display_today
from .rules.plan import goal_value
from .standards.billing import MEDICARE_CLIENT_PAYS_PRIVATELY

_static_versions: dict[str, tuple[float, str]] = {}


def static_version(filename: str) -> str:
    """A short content hash, recomputed only when the file's mtime changes."""
    path = os.path.join(current_app.static_folder, filename)
    mtime = os.stat(path).st_mtime
    cached = _static_versions.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, "rb") as fh:
            cached = (mtime, hashlib.sha256(fh.read()).hexdigest()[:12])
        _static_versions[path] = cached
    return cached[1]


def static_url(filename: str) -> str:
    return url_for("static", filename=filename, v=static_version(filename))


def practice_zone() -> ZoneInfo:
    if current_user and current_user.is_authenticated:
        return current_user.practice.zone
    return ZoneInfo("America/New_York")


def local(value: datetime | None, zone: ZoneInfo | None = None) -> datetime | None:
    return value.astimezone(zone or practice_zone()) if value is not None else None


# Each filter takes an optional zone for documents made outside a signed-in request (the CLI, the demo).
def fmt_datetime(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    """Nov 26, 2026, 4:05 PM in the practice's time zone."""
    if value is None:
        return ""
    value = local(value, zone)
    return f"{value:%b} {value.day}, {value.year}, {_clock(value)}"


def fmt_time(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    return _clock(local(value, zone)) if value is not None else ""


def fmt_date(value: date | datetime | None, zone: ZoneInfo | None = None) -> str:
    """Nov 26, 2026 (US order, month spelled so no one misreads 03/04)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, zone)
    return f"{value:%b} {value.day}, {value.year}"


def _clock(value: datetime) -> str:
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"


def _svg_data_uri(svg: str) -> str:
    from .charts import svg_data_uri

    return svg_data_uri(svg)


def upper_first(text: str) -> str:
    """Capitalize the first letter only: "Timed Up and Go" stays as it is, "knee flexion" becomes
    "Knee flexion" (Jinja's capitalize would lower-case the rest)."""
    return text[:1].upper() + text[1:] if text else text


def tax_id(value: str | None, kind: str = "EI") -> str:
    """A federal tax ID as people write it, whatever was stored: an EIN 36-4827193, an SSN 123-45-6789."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if len(digits) != 9:
        return value or ""
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if kind == "SY" else f"{digits[:2]}-{digits[2:]}"


def number(value) -> str:
    """4 not 4.0, 2.5 as 2.5: a Decimal, float or its text, the way '%g' writes it."""
    return f"{float(value):g}"


def hours(value) -> str:
    """CE hours as people write them: 2.5, 5, 0.25 (never 2.50 or 5.00)."""
    return f"{Decimal(value).normalize():f}"


def set_summary(logged, rpe: bool = True) -> str:
    """One set as a trainer says it: "10 reps @ 4 kg RPE 6", or "30 s". `logged` is a SetLog or the
    dict of last time's numbers a session keeps; rpe=False leaves the effort out."""
    def get(name):
        return logged.get(name) if isinstance(logged, Mapping) else getattr(logged, name)

    reps, load = get("reps"), get("load")
    text = f"{reps} reps" if reps is not None else f"{get('seconds')} s"
    if load is not None:
        text += f" @ {number(load)} {get('load_unit')}"
    if rpe and get("rpe") is not None:
        text += f" RPE {number(get('rpe'))}"
    return text


def html_attrs(attributes: Mapping[str, object]) -> Markup:
    """Keyword arguments as HTML attributes, spelled as WTForms spells them: `class_` is class and
    other underscores are hyphens (hx_target is hx-target); True writes the name alone, False and
    None leave the attribute out. Each starts with a space, so it follows a tag name or attribute."""
    written = Markup("")
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        # Markup.format escapes what it is given: a value can never close its quotes.
        written += Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value)
    return written


def shown_today(result) -> str:
    """An outcome result's value as today's rules show it (one rounding: rules.thresholds), so a
    result saved before a correction reads like a new one; its sentence stays as it was written."""
    return display_today(result.measure_key, result.raw, result.display)


def plural(count, word: str, many: str | None = None) -> str:
    """"1 session", "3 sessions": a count with its noun, so no screen says "1 sessions"."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.filters["upper_first"] = upper_first
    app.jinja_env.filters["tax_id"] = tax_id
    app.jinja_env.filters["shown_today"] = shown_today
    app.jinja_env.globals["timedelta"] = timedelta
    app.jinja_env.globals["svg_data_uri"] = _svg_data_uri
    app.jinja_env.globals["html_attrs"] = html_attrs
    # Said wherever a traditional Medicare coverage shows (standards/billing.py, CMS 230.5).
    app.jinja_env.globals["MEDICARE_CLIENT_PAYS_PRIVATELY"] = MEDICARE_CLIENT_PAYS_PRIVATELY
    # A document's Open button is drawn only for a role that may open that kind.
    app.jinja_env.globals["document_capability"] = document_capability
    # The sign-in's outbox key (static/js/outbox.js), asked for only by the signed-in shell.
    app.jinja_env.globals["outbox_key"] = _outbox_key
    app.jinja_env.filters["set_summary"] = set_summary
    app.jinja_env.filters["hours"] = hours
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["datetime"] = fmt_datetime
    app.jinja_env.filters["time"] = fmt_time
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["plural"] = plural
    # A goal's readings with its measure's decimals and unit, on every screen and PDF alike.
    app.jinja_env.globals["goal_value"] = goal_value

    @app.context_processor
    def shell_settings():
        return {"idle_lock_seconds": int(float(app.config["IDLE_LOCK_MINUTES"]) * 60)}


def _outbox_key() -> str:
    from .services.signin import outbox_key  # the services import the app's models: load them late

    return outbox_key()

