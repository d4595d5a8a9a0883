"""Where a boosted form lands: the anchor its redirect names (a finalized report's #deliveries).

A boosted form posts by XHR, and XHR follows the 303 itself and drops the Location's fragment, so
the page it lands on cannot know the anchor and core.js sends the window to the top (issue 21).
The anchor rides the redirect as ?at=NAME; the page it lands on gives htmx the URL to push without
it and with #NAME instead, and core.js scrolls to the element the pushed URL names. A page loaded
without htmx (no JavaScript, a reload) follows the fragment as any browser does and gets neither.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from flask import Flask, Response, request

LANDING_ARG = "at"


def carry_anchor(response: Response) -> Response:
    # Only boosted navigation swaps a whole page and pushes its URL; a fragment request never does.
    if request.headers.get("HX-Boosted") != "true":
        return response
    if 300 <= response.status_code < 400:
        location = urlsplit(response.location or "")
        if location.fragment and not location.netloc:
            query = [(k, v) for k, v in parse_qsl(location.query, keep_blank_values=True) if k != LANDING_ARG]
            query.append((LANDING_ARG, location.fragment))
            response.location = urlunsplit(location._replace(query=urlencode(query)))
    elif request.method == "GET" and response.status_code == 200 and "HX-Push-Url" not in response.headers:
        anchor = request.args.get(LANDING_ARG)
        if anchor:
            rest = [(k, v) for k, v in request.args.items(multi=True) if k != LANDING_ARG]
            url = quote(request.script_root + request.path) + (f"?{urlencode(rest)}" if rest else "")
            response.headers["HX-Push-Url"] = f"{url}#{quote(anchor, safe='-_.')}"
    return response


def init_app(app: Flask) -> None:
    app.after_request(carry_anchor)
