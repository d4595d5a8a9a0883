"""The Notice of Privacy Practices a practice starts from: the structure of the HHS model notice for
health care providers, in plain words, with `{practice_name}` as the only placeholder. The owner edits
it into a versioned form like the consents (the Consent forms page); the client reads the current
version just before signing the acknowledgement (standards.consent_texts.PRIVACY_NOTICE).

Sources: 45 CFR 164.520(b) (what a notice must contain, including the header in capitals and the
effective date); U.S. Department of Health and Human Services, Model Notices of Privacy Practices
(HHS Office for Civil Rights, 2013; "Your Information. Your Rights. Our Responsibilities."), whose
sections and order this follows: your rights, your choices, our uses and disclosures, our
responsibilities, changes to the terms. The HHS model's "treat you" is worded as the exercise
services an MES provides. A lawyer licensed in the practice's state reviews it before use (state law
may add rights); the owner fills in the effective date and the privacy official's contact.
"""

from .consent_texts import ConsentText

NOTICE_KEY = "notice_of_privacy_practices"
# The acknowledgement the notice is shown with (standards.consent_texts.PRIVACY_NOTICE).
ACKNOWLEDGEMENT_KEY = "privacy_notice"

NOTICE_OF_PRIVACY_PRACTICES = ConsentText(
    key=NOTICE_KEY,
    title="Notice of Privacy Practices",
    body="""\
THIS NOTICE DESCRIBES HOW HEALTH INFORMATION ABOUT YOU MAY BE USED AND DISCLOSED AND HOW YOU CAN GET ACCESS TO THIS INFORMATION. PLEASE REVIEW IT CAREFULLY.

Your Information. Your Rights. Our Responsibilities.

This notice is from {practice_name}. It tells you how we use and share your health information, your rights to it, and what we must do to protect it.

Your Rights

Get a copy of your records. You can ask to see or get an electronic or paper copy of your exercise records and the other health information we have about you. We will give you a copy or a summary, usually within 30 days of your request. We may charge a reasonable, cost-based fee.

Ask us to correct your records. You can ask us to correct health information about you that you think is wrong or incomplete. We may say no, but we will tell you why in writing within 60 days.

Ask for confidential communications. You can ask us to contact you in a certain way (for example, by cell phone) or to send mail to a different address. We will say yes to all reasonable requests.

Ask us to limit what we use or share. You can ask us not to use or share certain health information. We are not required to agree. If you pay for a service in full yourself, you can ask us not to share information about it with your health insurer, and we will say yes unless a law requires us to share it.

Get a list of those with whom we have shared information. You can ask for a list of the times we have shared your health information in the six years before your request, who we shared it with, and why. We will give one list a year for free.

Get a copy of this notice. You can ask for a paper copy at any time, even if you agreed to get it electronically.

Choose someone to act for you. If you have given someone health care power of attorney, or if someone is your legal guardian, that person can use your rights. We will check that the person has this authority first.

File a complaint. If you feel we have not respected your rights, you can complain to our privacy official. You can also complain to the U.S. Department of Health and Human Services Office for Civil Rights, 200 Independence Avenue S.W., Washington, D.C. 20201, by calling 1-877-696-6775, or at www.hhs.gov/ocr/privacy/hipaa/complaints/. We will not hold a complaint against you.

Your Choices

You can tell us whether we may share information with your family, close friends, or others involved in your care or payment, or in a disaster relief situation. If you cannot tell us, for example if you are unconscious, we may share it if we believe it is in your best interest, or to lessen a serious and imminent threat to health or safety.

We never sell your information or use it for marketing unless you give us written permission.

Our Uses and Disclosures

Provide your exercise services. We use your health information and share it with the professionals who work with you, such as the doctor who referred you.

Run our practice. We use your health information to run our practice, improve our services, and contact you when needed.

Bill for your services. We use and share your health information to bill and get payment from health plans or other entities.

We may also share your information when the law allows or requires it: to help with public health and safety, such as preventing disease or reporting abuse; for health research; to comply with the law, including when the Department of Health and Human Services asks; for workers' compensation claims; for law enforcement and other government requests; and in response to a court order or subpoena.

Our Responsibilities

We are required by law to keep your health information private and secure. We will let you know promptly if a breach occurs that may have put your information at risk. We must follow the duties and privacy practices in this notice and give you a copy of it. We will not use or share your information other than as described here unless you tell us we can in writing. If you tell us we can, you may change your mind at any time by telling us in writing.

Changes to the Terms of This Notice

We can change the terms of this notice, and the changes will apply to all information we have about you. The new notice will be available on request, in our office, and on our website.

Effective Date and Contact

This notice is effective from the date this version is published. Questions and complaints go to our privacy official, who you can reach at our front desk or by phone.""",
    # A notice is read, not signed: the client signs the acknowledgement shown beneath it.
    required=False,
)
