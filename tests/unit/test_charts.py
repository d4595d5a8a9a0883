"""Trend charts and sparklines: inline-ready vector SVG, deterministic, cached, and allowed by the app's CSP."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

import metpwa
from metpwa import charts, pdf

SVG = "{http://www.w3.org/2000/svg}"
APP_STATIC = Path(metpwa.__file__).parent / "static"
TUG = [(date(2025, 3, 3), 14.2), (date(2025, 3, 24), 13.1), (date(2025, 4, 14), 12.4), (date(2025, 5, 5), 11.0)]
US_DATE = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}(, \d{4})?$")


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    charts.clear_chart_cache()
    yield
    charts.clear_chart_cache()


def _tug(**changes: object) -> str:
    arguments: dict[str, object] = {
        "title": "Timed Up and Go", "unit": "s", "higher_is_better": False, "baseline": 14.2,
        "goal": 10.0, "band": (12.0, None), "band_label": "Fall risk ≥ 12 s",
    }
    arguments.update(changes)
    points = arguments.pop("points", TUG)
    return charts.trend_chart_svg(points, **arguments)  # type: ignore[arg-type]


def _texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


def test_chart_is_bare_svg_with_paths_and_real_text() -> None:
    svg = _tug()

    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Timed Up and Go"
    assert len(list(root.iter(f"{SVG}path"))) > 5
    texts = _texts(svg)
    assert "Timed Up and Go" in texts
    assert {"Baseline 14.2 s", "Goal 10 s", "Fall risk ≥ 12 s"} <= set(texts)
    assert {"14.2", "13.1", "12.4", "11"} <= set(texts)  # each point is labelled with its value
    assert len([t for t in texts if US_DATE.match(t)]) >= 3
    assert not any(re.search(r"\d{4}-\d{2}", t) for t in texts)


def test_reference_lines_and_band_are_drawn() -> None:
    root = ET.fromstring(_tug())
    elements = list(root.iter())
    assert any(e.get("stroke-dasharray") and e.get("stroke") == "#5b6770" for e in elements)  # dashed baseline
    assert any(e.get("stroke") == "#1d6b35" for e in elements)  # goal
    assert any(e.get("fill") == "#d9822b" and e.get("opacity") for e in elements)  # shaded fall-risk zone


def test_chart_is_allowed_inline_under_a_strict_csp() -> None:
    svg = _tug(title='Grip <script>alert("x")</script>')

    root = ET.fromstring(svg)
    assert all(element.get("style") is None for element in root.iter())
    assert not list(root.iter(f"{SVG}style"))
    assert not list(root.iter(f"{SVG}script"))
    assert "<script>" not in svg  # the title is escaped text
    # One namespace and plain href: what an HTML parser reads correctly in inline SVG.
    assert "xlink:" not in svg
    assert "ns0:" not in svg
    assert all(element.tag.startswith(SVG) for element in root.iter())


def test_same_input_gives_identical_svg() -> None:
    first = _tug()
    charts.clear_chart_cache()
    assert _tug() == first


def test_second_request_is_served_from_the_cache_and_a_change_redraws() -> None:
    first = _tug()
    assert charts.chart_cache_info()[:3] == (0, 1, 1)

    again = _tug(points=list(reversed(TUG)))  # same content in another order
    assert again is first
    assert charts.chart_cache_info()[:3] == (1, 1, 1)

    changed = _tug(points=[*TUG[:-1], (date(2025, 5, 5), 10.9)])
    assert changed != first
    assert charts.chart_cache_info()[:3] == (1, 2, 2)


def test_single_point_and_no_reference_lines() -> None:
    svg = charts.trend_chart_svg([(date(2025, 3, 3), 420.0)], title="6-Minute Walk", unit="m", higher_is_better=True)
    texts = _texts(svg)
    assert "420" in texts
    assert len([t for t in texts if US_DATE.match(t)]) >= 2


def test_chart_needs_a_point() -> None:
    with pytest.raises(ValueError, match="at least one point"):
        charts.trend_chart_svg([], title="Empty", unit="s", higher_is_better=False)


@pytest.mark.parametrize(
    ("values", "higher_is_better", "trend", "colour"),
    [
        ([14.2, 13.1, 11.0], False, "improving", "#1d6b35"),
        ([8, 10, 13], True, "improving", "#1d6b35"),
        ([8, 7, 6], True, "worsening", "#a3261b"),
        ([5, 6, 5], True, "unchanged", "#5b6770"),
    ],
)
def test_sparkline(values: list[float], higher_is_better: bool, trend: str, colour: str) -> None:
    svg = charts.sparkline_svg(values, higher_is_better=higher_is_better)

    root = ET.fromstring(svg)
    assert (root.get("width"), root.get("height")) == ("120", "32")
    assert root.get("aria-label", "").startswith(f"Trend {trend}")
    polyline = root.find(f"{SVG}polyline")
    assert polyline is not None
    assert polyline.get("stroke") == colour
    assert len(polyline.get("points", "").split()) == len(values)
    assert all(element.get("style") is None for element in root.iter())


def _image_xobjects(data: bytes) -> int:
    images: set[int] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        pending = [page.get("/Resources")]
        seen: set[int] = set()
        while pending:
            resources = pending.pop()
            for reference in ((resources or {}).get("/XObject") or {}).values():
                xobject = reference.get_object()
                if xobject["/Subtype"] == "/Image":
                    images.add(reference.idnum)
                elif reference.idnum not in seen:
                    seen.add(reference.idnum)
                    pending.append(xobject.get("/Resources"))
    return len(images)


@pytest.mark.parametrize("embedding", ["img", "inline"])
def test_four_charts_in_a_pdf_stay_vectors_with_text(embedding: str) -> None:
    titles = ["Timed Up and Go", "Chair Stand", "Gait Speed", "Grip Strength"]
    figures = []
    for number, title in enumerate(titles):
        svg = _tug(title=title, goal=10.0 - number)
        body = f'<img src="{charts.svg_data_uri(svg)}" alt="{title}">' if embedding == "img" else svg
        figures.append(f'<figure class="chart">{body}</figure>')

    data = pdf.render_pdf(
        f"<html><body>{''.join(figures)}</body></html>", static_folder=APP_STATIC, stylesheets=["css/print.css"],
        strict=True,
    )

    assert _image_xobjects(data) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for title in titles:
        assert title in text
    assert "Fall risk" in text


def test_a_pain_chart_is_drawn_on_the_whole_0_to_10_scale() -> None:
    """Issue 21: one pain reading of 4 was drawn on an axis from 3.90 to 4.20."""
    from metpwa.standards.measures import NPRS

    svg = charts.trend_chart_svg([(date(2026, 3, 2), 4.0)], title="Pain", unit="points", higher_is_better=False,
                                 axis=NPRS.chart_axis)
    texts = set(_texts(svg))
    assert {"0", "2", "4", "6", "8", "10"} <= texts
    assert not any(re.fullmatch(r"\d\.\d0", text) for text in texts)


@pytest.mark.parametrize("band_label", [None, "Fall risk: under 10 stands, below average for women aged 75-79"])
def test_the_key_never_runs_over_the_title(band_label: str | None) -> None:
    # The chair stand's cut-off names who it is for: a key that long once sat on top of the title.
    svg = charts.trend_chart_svg([(date(2026, 10, 4), 6), (date(2026, 11, 29), 10)], title="30-second chair stand",
                                 unit="stands", higher_is_better=True, baseline=6, band=(None, 9.5),
                                 band_label=band_label)
    texts = {element.text: (float(element.get("x")), float(element.get("y")))
             for element in ET.fromstring(svg).iter(f"{SVG}text")}
    title_x, title_y = texts["30-second chair stand"]
    title_end = title_x + 0.6 * 10 * len("30-second chair stand")  # bold 10 px, generously wide
    key = [label for label in texts if label.startswith(("Fall risk", "≤", "Baseline"))]
    assert len(key) == 2
    for label in key:
        x, y = texts[label]
        # On the title's line only to its right, past the key's line sample (1.8 + 0.8 em of 9 px).
        assert abs(y - title_y) > 9 or x - 2.6 * 9 > title_end, (label, x, y, title_end)
