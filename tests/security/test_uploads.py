"""Hostile uploads: signature images drawn in hand-off (polyglots, SVG with script, oversized, absurd
dimensions) and documents at every upload form (path traversal in the name, HTML dressed as a PDF,
PDFs that run JavaScript). Each is refused with a message at its field and leaves no row behind, or
is accepted only in a cleaned form (a safe name, a re-encoded image)."""

from __future__ import annotations

import base64
import io
import random
import re
import struct
import zipfile
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from metpwa.models import ConsentSignature, Document
from metpwa.rules.signature import PNG_MAGIC
from support import hostile_pdfs
from support.images import MINIMAL_PDF, signature_png

from .markup import forms_on
from .walker import effects, routes, url_for_route

SUMMARY = ("uploads: signatures {signatures} tried, {signatures_refused} refused, {reencoded} kept only re-encoded; "
           "documents {documents} tried, {documents_refused} refused, {renamed} kept only under a safe name; "
           "hostile PDFs {pdfs} tried ({pdf_kinds} kinds x {pdf_forms} upload forms), {pdfs_refused} refused at the "
           "field, {rewritten} accepted PDFs kept only as their pages; {rows} rows written by refusals")


# --- Signatures ----------------------------------------------------------------------------------

def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _with_chunks(png: bytes, *chunks: bytes) -> bytes:
    """The PNG with extra chunks placed right after IHDR."""
    ihdr_end = len(PNG_MAGIC) + 12 + 13
    return png[:ihdr_end] + b"".join(chunks) + png[ihdr_end:]


def _data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def _noise_png(width=420, height=300) -> bytes:
    """Dark noise that does not compress: a plausible drawing, well over 200 KB."""
    pixels = bytearray(random.Random(8).randbytes(width * height * 4))
    pixels[3::4] = b"\xff" * (width * height)
    image = Image.frombytes("RGBA", (width, height), bytes(pixels))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 200_000
    return buffer.getvalue()


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="700" height="220" onload="alert(1)">'
       b'<script>alert(1)</script><path d="M10 10 L600 200" stroke="black" stroke-width="8"/></svg>')


def hostile_signatures() -> dict[str, str]:
    png = signature_png()
    huge_header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 6, 0, 0, 0)
    return {
        "PNG with a ZIP appended": _data_url(png + _zip()),
        "PNG with HTML appended": _data_url(png + b"<html><script>alert(1)</script></html>"),
        "SVG with <script>": _data_url(SVG, "image/svg+xml"),
        "SVG claiming to be a PNG": _data_url(SVG),
        "HTML claiming to be a PNG": _data_url(b"<html><body onload=alert(1)>hi</body></html>"),
        "JPEG claiming to be a PNG": _data_url(b"\xff\xd8\xff\xe0" + b"\x00" * 400),
        "PNG over 200 KB": _data_url(_noise_png()),
        "300 KB of base64": "data:image/png;base64," + "A" * 300_000,
        "PNG claiming 100000 x 100000 pixels": _data_url(
            PNG_MAGIC + _chunk(b"IHDR", huge_header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) +
            _chunk(b"IEND", b"")),
        "PNG with an unknown critical chunk": _data_url(_with_chunks(png, _chunk(b"EVIL", b"<script>"))),
        "PNG cut short": _data_url(png[: len(png) // 2]),
        "not base64": "data:image/png;base64,<script>alert(1)</script>",
        "a javascript: URL": "javascript:alert(1)",
    }


@pytest.fixture
def handing_off(app, personas, new_agent, world, calm_sessions):
    """A trainer's iPad handed to client B, open on a consent form."""
    ipad = new_agent()
    ipad.login(personas.colleague)
    assert ipad.post(f"/handoff/start/{world.handoff_client_id}").status_code == 303
    url = f"/handoff/sign/{world.home['template_id']}"
    page = ipad.get(url).get_data(as_text=True)
    sha = re.search(r'name="text_sha256" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    return ipad, url, {"signer_name": "Mabel Handoff", "signer_relationship": "self", "text_sha256": sha}


def test_hostile_signature_images_are_refused_and_nothing_is_stored(handing_off, probe, figures):
    ipad, url, form = handing_off
    accepted = []
    for label, signature in hostile_signatures().items():
        outcome = probe.send(ipad, "POST", url, data={**form, "signature": signature})
        figures["signatures"] += 1
        written = effects(outcome)
        figures["rows"] += len(written)
        if outcome.status == 422 and 'id="signature-error"' in outcome.body and not written:
            figures["signatures_refused"] += 1
        else:
            accepted.append(f"{label}: {outcome.status}, wrote {written}")
    assert not accepted, "\n".join(accepted)


def test_a_signature_keeps_its_pixels_and_nothing_else(app, handing_off, figures):
    ipad, url, form = handing_off
    png = _with_chunks(signature_png(), _chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>"),
                       _chunk(b"eXIf", b"MM\x00*" + b"\x00" * 20),
                       _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x/>"))
    assert ipad.post(url, data={**form, "signature": _data_url(png)}).status_code == 303
    with app.app_context():
        from metpwa.extensions import db

        stored = db.session.scalars(select(ConsentSignature).order_by(ConsentSignature.id.desc())).first()
        kept = stored.signature_png
    figures["signatures"] += 1
    figures["reencoded"] += 1
    assert kept.startswith(PNG_MAGIC) and kept.endswith(_chunk(b"IEND", b""))
    for chunk in (b"tEXt", b"eXIf", b"iTXt", b"<script>"):
        assert chunk not in kept


# --- Documents -----------------------------------------------------------------------------------

def _pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n" + b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, o) for n, o in enumerate(objects, start=1))
    return body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def _object_stream_pdf() -> bytes:
    hidden = zlib.compress(b"5 0 <</S/JavaScript/JS(app.alert(1))>>")
    return _pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 5 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>",
                b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream" % (
                    len(hidden), hidden))


HOSTILE_DOCUMENTS = {
    "HTML named .pdf": (b"<html><script>alert(1)</script></html>", "order.pdf"),
    "HTML before a PDF (polyglot)": (b"<html><script>alert(1)</script>" + MINIMAL_PDF, "order.pdf"),
    "SVG named .png": (SVG, "scan.png"),
    "PDF with /JavaScript": (_pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>",
                                  b"<</Type/Pages/Kids[]/Count 0>>", b"<</S/JavaScript/JS(app.alert(1))>>"),
                             "order.pdf"),
    "PDF with /J#61vaScript (hex-escaped name)": (_pdf(b"<</Type/Catalog/OpenAction 2 0 R>>",
                                                       b"<</S/J#61vaScript/JS(app.alert(1))>>"), "order.pdf"),
    "PDF with /Launch": (_pdf(b"<</Type/Catalog/OpenAction 2 0 R>>", b"<</S/Launch/F(cmd.exe)>>"), "order.pdf"),
    "PDF with JavaScript inside a compressed object stream": (_object_stream_pdf(), "order.pdf"),
    "an executable named .pdf": (b"MZ\x90\x00" + b"\x00" * 200, "order.pdf"),
    "an empty file": (b"", "order.pdf"),
}


# Every form that takes a document: its file field and the other fields filled in validly.
UPLOAD_FORMS = {
    "referrals.new_referral": ("order_document", {"referred_on": "01/05/2026", "reason": "Knee", "codes": "M17.11"}),
    "referrals.attach_order": ("order_document", {}),
    "referrals.new_clearance": ("document", {"cleared_on": "01/20/2026", "restrictions": ""}),
    "plans.acknowledge": ("document", {"received_on": "01/20/2026", "method": "fax", "note": ""}),
    # A staff member's card and CE certificate (issue 19).
    "staff.add_credential": ("document", {"kind": "cpr_aed", "number": "C-1", "issuer": "American Heart Association",
                                          "issued_on": "01/10/2026", "expires_on": "01/31/2028"}),
    "staff.add_ce": ("certificate", {"title": "Knee course", "provider": "METI", "hours": "2",
                                     "completed_on": "01/05/2026", "counts_toward": "mes"}),
}
# Forms whose file is read as text and never stored, each with where its refusals are tested.
READ_NOT_STORED = {
    # A payer's 271 answer becomes an eligibility check; anything else is refused at the field
    # (tests/test_eligibility.py), and the bytes are not kept.
    "eligibility.read_271",
}


def upload_forms(app, world) -> dict[str, tuple[str, str, dict]]:
    """(URL, file field, other fields) for each upload form the app has now."""
    found = {}
    for route in routes(app):
        if route.method == "POST" and route.endpoint in UPLOAD_FORMS:
            field, fields = UPLOAD_FORMS[route.endpoint]
            # Attaching an order goes to the referral that has none (one on file is never replaced).
            ids = {**world.home, "referral_id": world.home["open_referral_id"]} \
                if route.endpoint == "referrals.attach_order" else world.home
            found[route.endpoint] = (url_for_route(app, route, ids, world.unavailable), field,
                                     {"provider_id": str(world.home["provider_id"]), **fields})
    return found


def test_every_form_that_takes_a_file_is_probed(app, world, personas, new_agent, probe, calm_sessions):
    owner = new_agent()
    owner.login(personas.owner)
    known = set(UPLOAD_FORMS) | READ_NOT_STORED
    found = set()
    for route in routes(app):
        if route.method != "GET" or route.public:
            continue
        outcome = probe.send(owner, route, url_for_route(app, route, world.home, world.unavailable))
        for form in forms_on(outcome.body, outcome.url):
            if any(f["type"] == "file" for f in form.fields):
                endpoint = app.url_map.bind("localhost").match(form.action.split("?")[0], method="POST")[0]
                found.add(endpoint)
    assert found <= set(known), f"upload forms the suite does not probe yet: {found - set(known)}"


def test_hostile_documents_are_refused_at_every_upload_form(app, world, personas, new_agent, probe, calm_sessions,
                                                            figures):
    owner = new_agent()
    owner.login(personas.owner)
    forms = upload_forms(app, world)
    assert {"referrals.new_referral", "referrals.attach_order", "referrals.new_clearance"} <= set(forms)
    accepted = []
    for name, (url, field, fields) in forms.items():
        for label, (data, filename) in HOSTILE_DOCUMENTS.items():
            outcome = probe.send(owner, "POST", url, data={**fields, field: (io.BytesIO(data), filename)})
            figures["documents"] += 1
            written = effects(outcome)
            figures["rows"] += len(written)
            if outcome.status == 422 and not written and "field-error" in outcome.body:
                figures["documents_refused"] += 1
            else:
                accepted.append(f"{name}, {label}: {outcome.status}, wrote {written}")
    assert not accepted, "\n".join(accepted)


# (name sent, name kept; None when only its safety is checked)
DOCUMENT_NAMES = [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    # The multipart quoting eats the backslashes on the way in; what arrives must still lose its path.
    ("..\\..\\Windows\\system32\\order.pdf", None),
    ("/etc/cron.d/order.pdf", "order.pdf"),
    ('order".pdf\r\nContent-Type: text/html\r\nX: "', None),
    (".htaccess", None),
    ("order.html", "order.pdf"),  # PDF bytes: the extension follows the bytes
]


def test_document_names_lose_their_paths_and_tricks(app, world, personas, agent, calm_sessions, figures):
    agent.login(personas.front_desk)
    client = world.home["client_id"]
    _, new_referral_fields = UPLOAD_FORMS["referrals.new_referral"]
    for sent, kept in DOCUMENT_NAMES:
        # Each name with a new referral's order (an order on file is never replaced).
        response = agent.post(f"/clients/{client}/referrals/new",
                              data={"provider_id": str(world.home["provider_id"]), **new_referral_fields,
                                    "order_document": (io.BytesIO(MINIMAL_PDF), sent)})
        assert response.status_code == 303, sent
        with app.app_context():
            from metpwa.extensions import db

            document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
            name, document_id = document.filename, document.id
        figures["documents"] += 1
        figures["renamed"] += 1
        assert not re.search(r"[/\\\r\n\"]|\.\.", name), (sent, name)
        assert name.endswith(".pdf") and not name.startswith("."), (sent, name)
        assert kept is None or name == kept, (sent, name)
        opened = agent.get(f"/clients/{client}/documents/{document_id}")
        disposition = opened.headers["Content-Disposition"]
        assert disposition == f'inline; filename="{name}"' and "\n" not in disposition
        assert opened.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in opened.headers["Content-Security-Policy"]
        assert opened.mimetype == "application/pdf" and "X" not in opened.headers


def test_pdfs_that_can_act_are_refused_at_every_upload_form(app, world, personas, new_agent, probe, calm_sessions,
                                                          figures):
    """Scripts behind nested filters and object streams, XFA forms with scripts, actions that leave the
    document, embedded files and media, an encrypted file: each refused with its message at the field."""
    owner = new_agent()
    owner.login(personas.owner)
    forms = upload_forms(app, world)
    figures["pdf_kinds"] = len(hostile_pdfs.HOSTILE)
    figures["pdf_forms"] = len(forms)
    accepted = []
    for name, (url, field, fields) in forms.items():
        for label, data in hostile_pdfs.HOSTILE.items():
            outcome = probe.send(owner, "POST", url, data={**fields, field: (io.BytesIO(data), "order.pdf")})
            figures["pdfs"] += 1
            written = effects(outcome)
            figures["rows"] += len(written)
            if outcome.status == 422 and not written and "field-error" in outcome.body and (
                    "active content" in outcome.body or "could not be read" in outcome.body):
                figures["pdfs_refused"] += 1
            else:
                accepted.append(f"{name}, {label}: {outcome.status}, wrote {written}")
    assert not accepted, "\n".join(accepted)


def test_an_accepted_pdf_is_kept_as_its_pages_only(app, world, personas, agent, calm_sessions, figures):
    """A link, an outline and metadata are not active, yet nothing but the page survives the upload."""
    import pikepdf
    import pypdf

    source = pikepdf.open(io.BytesIO(hostile_pdfs.plain()))
    uri = source.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                  Rect=[0, 0, 9, 9], A=pikepdf.Dictionary(
                                                      S=pikepdf.Name.URI, URI=pikepdf.String("https://x.example"))))
    source.pages[0].obj.Annots = pikepdf.Array([uri])
    source.Root.PageMode = pikepdf.Name.UseOutlines
    with source.open_metadata() as meta:
        meta["dc:title"] = "Tracking title"
    sent = io.BytesIO()
    source.save(sent)
    agent.login(personas.front_desk)
    client = world.home["client_id"]
    _, fields = UPLOAD_FORMS["referrals.new_referral"]
    response = agent.post(f"/clients/{client}/referrals/new",
                          data={"provider_id": str(world.home["provider_id"]), **fields,
                                "order_document": (io.BytesIO(sent.getvalue()), "order.pdf")})
    assert response.status_code == 303
    with app.app_context():
        from metpwa.extensions import db

        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        kept, sha, size = document.data, document.sha256, document.size
    import hashlib

    figures["rewritten"] += 1
    assert kept != sent.getvalue() and sha == hashlib.sha256(kept).hexdigest() and size == len(kept)
    reader = pypdf.PdfReader(io.BytesIO(kept))
    assert len(reader.pages) == 1 and "Referral order" in reader.pages[0].extract_text()
    assert "/Annots" not in reader.pages[0] and "/PageMode" not in reader.trailer["/Root"]
    assert "/Metadata" not in reader.trailer["/Root"] and b"Tracking title" not in kept
