"""The production entry point: `gunicorn --preload ... 'metpwa.wsgi:app'` (README, "Production under gunicorn").

The app, warmed before it takes a request: a worker's first progress report would otherwise pay
for importing matplotlib and WeasyPrint, matplotlib's font list, fontconfig and print.css (about
0.7 s, against 15 ms for every report after it; issue 21). Under --preload this runs once in
gunicorn's master, and every worker forked from it starts warm. The CLI and the tests build their
apps with create_app() and skip it. METPWA_WARM_UP=false turns it off.
"""

from . import create_app, warm_up

app = create_app()
if app.config["WARM_UP"]:
    warm_up(app)
