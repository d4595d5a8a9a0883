"""Bad input in every form the app has: each POST form found on any page the owner can open (so new
forms are covered as they appear) is sent with Hypothesis-drawn hostile values in one to three of its
fields, hidden ones included, and the rest as the page rendered them. Whatever arrives, the app answers
without a server error; a refusal writes nothing but the audit trail; a 422 says what is wrong at the
field. Every field of every form gets hostile values at least once. Each example is rolled back, so
every one meets the same records and the same sign-in.

The registration and coverage forms are also driven from valid values in test_bad_input.py, where
stored rows are checked for partial writes and over-long values."""

from __future__ import annotations

from hypothesis import given, settings

from .hostile import ODD, SETTINGS, form_values, says_what_is_wrong
from .walker import discover_forms, effects, endpoint_of

# Secrets and sign-in state are the session tests' business: wrong secrets there count toward ending the
# sign-in or locking the account, which would change what every later example meets.
SECRET_FORMS = {"auth.login", "auth.unlock", "auth.logout", "auth.lock_now", "auth.second_step", "auth.enroll",
                "account.set_pin", "account.change_password", "account.start_two_factor",
                "account.confirm_two_factor", "account.turn_off_two_factor", "account.new_recovery_codes",
                "handoff.finish", "handoff.start"}
# The token is sent as a header, as htmx does; a hostile csrf_token field is the CSRF walk's business.
UNFUZZED = {"csrf_token"}
REFUSALS = {400, 403, 404, 409, 413, 422, 429}
EXAMPLES_PER_FIELD = 3
SUMMARY = ("every form: {forms} forms found on {pages} pages, {fields} fields, {inputs} hostile values in "
           "{posts} posts; {stored} accepted, {refused} refused ({unanswered} 422s without a message at a field), "
           "{server_errors} server errors (500s), {partial} refusals that wrote a record")


def _fuzzable(form) -> dict[str, str | list[str]]:
    values = form.fill(None, "not the password")
    # Radio groups and unticked checkboxes are fields too: a hostile value can be sent for them.
    for f in form.fields:
        if f["name"] and f["type"] in ("checkbox", "radio") and f["name"] not in values:
            values[f["name"]] = ""
    return {name: value for name, value in values.items() if name not in UNFUZZED}


def test_every_form_field_survives_hostile_values(app, world, personas, new_agent, probe, calm_sessions,
                                                  real_errors, figures):
    owner = new_agent()
    owner.login(personas.owner)
    forms = discover_forms(app, world, probe, owner, lambda endpoint, form: endpoint not in SECRET_FORMS)
    stats = figures
    stats.update(forms=len(forms), pages=len({page for page, _ in forms}))
    problems: list[str] = []
    tried: dict[tuple[str, str], int] = {}

    def send(page, form, values: dict, changed: list[str]) -> None:
        multipart = "multipart" in form.enctype
        # As the page sends it: a form with hx-post goes as an htmx request and gets a fragment back.
        outcome = probe.send(owner, "POST", form.action, data=values, htmx=form.htmx)
        stats["inputs"] += len(changed)
        stats["posts"] += 1
        for name in changed:
            tried[(form.action, name)] = tried.get((form.action, name), 0) + 1
        where = f"POST {form.action} (form on {page}; {', '.join(changed)} = " \
                f"{[str(values[n])[:40] for n in changed]!r}{', multipart' if multipart else ''})"
        if outcome.status >= 500:
            stats["server_errors"] += 1
            problems.append(f"{where}: {outcome.status}")
        elif outcome.status >= 400:
            stats["refused"] += 1
            if outcome.status not in REFUSALS:
                problems.append(f"{where}: refused with {outcome.status}")
            if effects(outcome):
                stats["partial"] += 1
                problems.append(f"{where}: refused ({outcome.status}) yet wrote {effects(outcome)}")
            if outcome.status == 422 and outcome.headers.get("Content-Type", "").startswith("text/html"):
                # A fragment retargeted into a message element (HX-Retarget) need only carry the words.
                retargeted = "HX-Retarget" in outcome.headers and outcome.body.strip()
                if not retargeted and not says_what_is_wrong(outcome.body):
                    stats["unanswered"] += 1
                    problems.append(f"{where}: a refusal with no message")
        else:
            stats["stored"] += 1

    for page, form in forms:
        valid = _fuzzable(form)
        if not valid:
            continue
        stats["fields"] += len(valid)

        @settings(SETTINGS, max_examples=max(5, EXAMPLES_PER_FIELD * len(valid)))
        @given(drawn=form_values(valid))
        def example(drawn):
            values, changed = drawn
            send(page, form, values, changed)

        example()
        # A field Hypothesis never chose still gets the odd values once each.
        for name in valid:
            if (form.action, name) not in tried:
                for value in (ODD[4], ODD[12], "9" * 400):
                    send(page, form, {**valid, name: value}, [name])
    stats.setdefault("unanswered", 0)
    stats.setdefault("partial", 0)
    stats.setdefault("server_errors", 0)
    assert stats["forms"] >= 30, f"only {stats['forms']} forms found: the walk is not reaching the app"
    assert not problems, f"{len(problems)} problems, at most three of each kind:\n" + "\n".join(_by_kind(app, problems))


def _by_kind(app, problems: list[str]) -> list[str]:
    """The first three problems of each (endpoint, kind): a form that fails often should not hide the rest."""
    shown: dict[tuple[str, str], int] = {}
    lines = []
    for problem in problems:
        action = problem.split(" ")[1]
        kind = problem.rsplit("): ", 1)[-1].split(" yet ")[0]
        key = (endpoint_of(app, action) or action, kind)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= 3:
            lines.append(problem)
    return lines + [f"{count} x {endpoint}: {kind}" for (endpoint, kind), count in shown.items()]
