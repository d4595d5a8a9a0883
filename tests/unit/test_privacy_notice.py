"""The Notice of Privacy Practices a practice starts from (issue 16, "Notice of Privacy Practices")."""

import string

from metpwa.rules.scope_guard import check
from metpwa.standards.consent_texts import DEFAULT_CONSENTS
from metpwa.standards.privacy_notice import ACKNOWLEDGEMENT_KEY, NOTICE_KEY, NOTICE_OF_PRIVACY_PRACTICES

BODY = NOTICE_OF_PRIVACY_PRACTICES.body


def test_the_notice_opens_with_the_header_45_cfr_164_520_b_1_i_asks_for():
    assert BODY.startswith("THIS NOTICE DESCRIBES HOW HEALTH INFORMATION ABOUT YOU MAY BE USED AND DISCLOSED AND HOW "
                           "YOU CAN GET ACCESS TO THIS INFORMATION. PLEASE REVIEW IT CAREFULLY.")


def test_the_notice_follows_the_hhs_model_notice_sections_in_order():
    """HHS Model Notices of Privacy Practices (OCR 2013): rights, choices, uses and disclosures,
    responsibilities, changes; with the OCR complaint address and no retaliation."""
    headings = ["Your Information. Your Rights. Our Responsibilities.", "\n\nYour Rights\n\n", "\n\nYour Choices\n\n",
                "\n\nOur Uses and Disclosures\n\n", "\n\nOur Responsibilities\n\n",
                "\n\nChanges to the Terms of This Notice\n\n", "\n\nEffective Date and Contact\n\n"]
    places = [BODY.index(heading) for heading in headings]
    assert places == sorted(places)
    for right in ("Get a copy of your records.", "Ask us to correct your records.", "Ask for confidential communications.",
                  "Ask us to limit what we use or share.", "Get a list of those with whom we have shared information.",
                  "Get a copy of this notice.", "Choose someone to act for you.", "File a complaint."):
        assert right in BODY
    assert "200 Independence Avenue S.W., Washington, D.C. 20201" in BODY and "will not hold a complaint against you" in BODY
    assert "let you know promptly if a breach occurs" in BODY


def test_the_notice_has_only_the_practice_name_placeholder_and_stays_in_scope():
    fields = {name for _, name, _, _ in string.Formatter().parse(BODY) if name is not None}
    assert fields == {"practice_name"}
    text = BODY.format(practice_name="Riverside Medical Exercise")
    # Billing is what the notice must describe; nothing else is out of an MES's words.
    assert [(flag.term, flag.matched) for flag in check(text)] == [("billed", "Bill for")]


def test_the_notice_is_read_not_signed_and_pairs_with_the_acknowledgement():
    assert not NOTICE_OF_PRIVACY_PRACTICES.required
    assert NOTICE_KEY not in {consent.key for consent in DEFAULT_CONSENTS}
    assert ACKNOWLEDGEMENT_KEY in {consent.key for consent in DEFAULT_CONSENTS}
