"""The installable shell: manifest, icons, a root-scoped service worker that caches
only versioned static files, an offline page, and long-lived versioned static URLs."""

import io
import re

from PIL import Image


def _fetch(agent, url):
    """Static files are streamed from disk; close each response so no file stays open."""
    response = agent.get(url)
    response.get_data()
    response.close()
    return response


def test_manifest_makes_the_app_installable(agent):
    response = agent.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        image = _fetch(agent, icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        width, height = Image.open(io.BytesIO(image.get_data())).size
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes["any"]
    assert "512x512" in sizes["maskable"]


def test_pages_link_manifest_and_apple_touch_icon(agent):
    body = agent.get("/login").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    icon = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', body).group(1)
    assert Image.open(io.BytesIO(_fetch(agent, icon).get_data())).size == (180, 180)
    assert 'name="apple-mobile-web-app-capable" content="yes"' in body


def test_service_worker_is_root_scoped_and_caches_only_static_files(agent):
    response = agent.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    body = response.get_data(as_text=True)
    shell = re.search(r"const SHELL = (\[.*?\]);", body).group(1)
    urls = re.findall(r'"([^"]+)"', shell)
    assert urls and all(url.startswith("/static/") and "?v=" in url for url in urls)
    for url in urls:
        assert _fetch(agent, url).status_code == 200
    assert 'const OFFLINE = "/offline"' in body
    assert re.search(r'const CACHE = "metpwa-shell-[0-9a-f]{12}"', body)


def test_offline_page_has_no_client_data_and_no_session_token(agent, personas):
    agent.login(personas.colleague)
    body = agent.get("/offline").get_data(as_text=True)
    assert "No connection" in body
    assert personas.colleague.name not in body
    assert "csrf" not in body.lower()


def test_versioned_static_files_are_cached_for_a_year(agent):
    body = agent.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app.css\?v=[0-9a-f]+)"', body).group(1)
    response = _fetch(agent, css)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # send_file's Expires (an hour, from SEND_FILE_MAX_AGE_DEFAULT) would contradict the year.
    assert "Expires" not in response.headers


def test_pages_and_static_files_go_out_compressed(agent, personas):
    import gzip

    plain = agent.get("/login")
    assert "Content-Encoding" not in plain.headers
    squeezed = agent.get("/login", headers={"Accept-Encoding": "gzip"})
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in squeezed.headers["Vary"] and "HX-Request" in squeezed.headers["Vary"]
    assert squeezed.headers["Cache-Control"] == "no-store"
    assert gzip.decompress(squeezed.get_data()) == plain.get_data()
    assert len(squeezed.get_data()) < len(plain.get_data()) / 2
    css = re.search(r'href="(/static/css/app.css\?v=[0-9a-f]+)"', plain.get_data(as_text=True)).group(1)
    # Static files go out at the strongest setting (metpwa/static_compression.py).
    response = agent.get(css, headers={"Accept-Encoding": "zstd, br, gzip"})
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.get_data()) < 15_000
    response.close()


def test_static_files_go_out_compressed_once_at_the_strongest_setting(agent, personas):
    """Versioned scripts and styles are compressed once per process with brotli 11 (gzip 9 where the
    browser takes no br), not anew per iPad at flask-compress's quick page setting."""
    import gzip
    from pathlib import Path

    import brotli

    page = agent.get("/login").get_data(as_text=True)
    url = re.search(r'src="(/static/vendor/htmx-2.0.11.min.js\?v=[0-9a-f]+)"', page).group(1)
    source = (Path(__file__).parent.parent / "metpwa" / "static" / "vendor" / "htmx-2.0.11.min.js").read_bytes()
    first = agent.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    again = agent.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert first.headers["Content-Encoding"] == "br" and "Accept-Encoding" in first.headers["Vary"]
    assert brotli.decompress(first.get_data()) == source
    assert again.get_data() == first.get_data()
    assert len(first.get_data()) < len(brotli.compress(source, quality=4))
    assert first.headers["ETag"].endswith(':br"')
    safari_old = agent.get(url, headers={"Accept-Encoding": "gzip"})
    assert safari_old.headers["Content-Encoding"] == "gzip" and gzip.decompress(safari_old.get_data()) == source
    assert "Content-Encoding" not in agent.get(url).headers


def test_htmx_2_and_signature_pad_are_vendored_with_their_licences():
    from pathlib import Path

    vendor = Path(__file__).parent.parent / "metpwa" / "static" / "vendor"
    htmx = (vendor / "htmx-2.0.11.min.js").read_text()
    assert 'version:"2.0.11"' in htmx.replace(" ", "")
    assert "Zero-Clause BSD" in (vendor / "htmx-2.0.11.LICENSE.txt").read_text()
    assert "Signature Pad v5.1.4" in (vendor / "signature_pad-5.1.4.umd.min.js").read_text()
    assert "MIT License" in (vendor / "signature_pad-5.1.4.LICENSE.txt").read_text()


def test_manifest_describes_the_app_shows_real_screens_and_offers_today_and_schedule(agent, personas):
    manifest = agent.get("/manifest.webmanifest").get_json()
    assert "Medical Exercise" in manifest["description"]
    shots = {shot["form_factor"]: shot for shot in manifest["screenshots"]}
    assert set(shots) == {"narrow", "wide"}
    for form_factor, shot in shots.items():
        image = _fetch(agent, shot["src"])
        assert image.status_code == 200 and image.mimetype == "image/png" and shot["type"] == "image/png"
        width, height = Image.open(io.BytesIO(image.get_data())).size
        assert shot["sizes"] == f"{width}x{height}" and shot["label"]
        assert (width > height) == (form_factor == "wide")
    shortcuts = {shortcut["name"]: shortcut for shortcut in manifest["shortcuts"]}
    assert set(shortcuts) == {"Today", "Schedule"}
    agent.login(personas.colleague)
    for shortcut in shortcuts.values():
        assert agent.get(shortcut["url"]).status_code == 200
        assert all(_fetch(agent, icon["src"]).status_code == 200 for icon in shortcut["icons"])


def test_ios_gets_a_launch_image_for_each_ipad_screen_in_both_orientations(agent):
    body = agent.get("/login").get_data(as_text=True)
    links = re.findall(r'<link rel="apple-touch-startup-image" href="([^"]+)" media="([^"]+)">', body)
    orientations = {"portrait": 0, "landscape": 0}
    for href, media in links:
        width = int(re.search(r"device-width: (\d+)px", media).group(1))
        height = int(re.search(r"device-height: (\d+)px", media).group(1))
        scale = int(re.search(r"-webkit-device-pixel-ratio: (\d)", media).group(1))
        orientation = re.search(r"orientation: (\w+)", media).group(1)
        orientations[orientation] += 1
        # iOS uses an image only when it is the screen's exact size in the orientation held.
        expected = (width * scale, height * scale) if orientation == "portrait" else (height * scale, width * scale)
        image = _fetch(agent, href)
        assert image.status_code == 200 and Image.open(io.BytesIO(image.get_data())).size == expected, href
    assert orientations["portrait"] == orientations["landscape"] >= 2
    assert (820, 1180) in {(int(w), int(h)) for w, h in re.findall(r"device-width: (\d+)px\) and \(device-height: (\d+)px", body)}


def test_a_practice_can_turn_compression_off():
    """SECURITY.md, "What the deployer must do": METPWA_COMPRESS_REGISTER=false."""
    from conftest import make_app

    app, cleanup = make_app(COMPRESS_REGISTER=False)
    try:
        response = app.test_client().get("/login", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and "Content-Encoding" not in response.headers
    finally:
        cleanup()


def test_a_measure_shell_names_no_client_and_carries_no_keys_of_the_sign_in(agent, personas):
    """Issue 20: the service worker keeps /measures/shell/<key>, so it holds the test and nothing else."""
    agent.login(personas.colleague)
    response = agent.get("/measures/shell/tug")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Timed Up and Go" in body and "data-stopwatch-toggle" in body
    assert personas.colleague.name not in body
    assert "data-outbox-key" not in body and "X-CSRFToken" not in body
    assert 'data-measure-shell="tug"' in body
    assert agent.get("/measures/shell/nonsense").status_code == 404


def test_a_measure_shell_is_for_roles_that_record_results(agent, personas):
    assert agent.get("/measures/shell/tug").status_code in (302, 303, 401)
    agent.login(personas.front_desk)
    assert agent.get("/measures/shell/tug").status_code == 403


def test_the_service_worker_answers_a_test_offline_with_its_shell_and_keeps_no_other_page(agent):
    body = agent.get("/sw.js").get_data(as_text=True)
    assert 'const MEASURE_SHELL = "/measures/shell/"' in body
    # Only the shell's own 200s are put in the cache; pages are only ever fetched.
    assert body.count("cache.put(") == 1
    assert "cache.put(url.pathname, copy)" in body and "url.pathname.startsWith(MEASURE_SHELL)" in body
