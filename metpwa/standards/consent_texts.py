"""The default consent documents a practice starts from, in our own plain-language wording, with `{practice_name}` as the only placeholder."""

# A lawyer licensed in the practice's state must review every text before clients sign it.
# Informed consent, releases of liability, assignment of benefits and health-information law
# differ from state to state: some states do not enforce releases of liability for personal
# injury at all, and a parent's release signed for a minor is enforced in fewer still. These
# texts are a starting point the owner edits into a versioned template, not legal advice.
#
# Body layout: blocks separated by one blank line; a block that is a single line in Title Case
# without closing punctuation is a heading. Wording stays within an MES's scope: the texts are
# checked by metpwa.rules.scope_guard in the tests.

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentText:
    key: str
    title: str
    body: str
    # Required before the first session, on the chart's readiness checklist.
    required: bool = True


INFORMED_CONSENT = ConsentText(
    key="informed_consent",
    title="Informed Consent to Exercise Training",
    body="""\
What Medical Exercise Training Is

{practice_name} offers Medical Exercise Training. Your trainer is a Medical Exercise Specialist. The trainer checks how you move, how strong you are and how well you balance. Then the trainer builds an exercise plan to help you do more in daily life, and changes it as you progress.

What It Is Not

A Medical Exercise Specialist does not diagnose or treat medical conditions. Your trainer is not a physical therapist, a doctor or a nurse, and does not give advice about medicines. Exercise training does not replace the care you get from your doctor and other health care providers. Keep seeing them as they advise.

Possible Risks

Exercise is safe for most people, but it has some risks. You may feel sore or tired for a day or two. You could hurt a muscle, a joint or a bone, or you could fall. Rarely, exercise can lead to a serious problem such as a heart attack, a stroke or fainting. In very rare cases, it can lead to death. Your trainer will start slowly, watch you closely and adjust the plan to keep these risks low.

Your Part

Answer the health questions fully and truthfully. Before each session, tell your trainer about any change in your health, such as a new medicine, an illness, an injury, a surgery or a fall. Follow any limits your doctor has set, and bring us any new instructions from your doctor.

Stop right away and tell your trainer if you feel chest pain or pressure, shortness of breath that is worse than usual, dizziness or faintness, a racing or uneven heartbeat, or sudden or sharp pain. Speak up about anything else that worries you, too.

Your Right to Stop

Taking part is your choice. You may ask questions at any time. You may skip an exercise, stop a session or end the program whenever you wish. Your trainer may also stop a session, or ask you to see your doctor, if going on does not seem safe.

Your Consent

By signing, I confirm that I read this form or had it read to me, that my questions were answered, and that I agree to take part in exercise training at {practice_name}.""",
)

LIABILITY_WAIVER = ConsentText(
    key="liability_waiver",
    title="Release and Assumption of Risk",
    body="""\
Please read this form carefully. It affects your legal rights.

Risks I Accept

I understand that exercise has risks. They include sore muscles, injuries to muscles, joints and bones, falls, and, rarely, a heart attack, a stroke or death. Some risks come from my own health, some from the equipment, and some from how I do an exercise. I choose to take part in exercise training at {practice_name} knowing these risks, and I accept them.

My Responsibilities

I will tell the staff about my health and about any change in it. I will follow their instructions and use equipment only as they show me. I will stop and speak up if I feel unwell or unsure. I am responsible for the exercise I choose to do on my own, including at home.

Release

As far as the law allows, I release {practice_name}, its owners, trainers and staff from claims for injury, illness, death or loss that come from the ordinary risks of exercise training. I agree not to sue them for those claims. This release binds me and anyone who could make a claim for me, such as my family or my estate.

What This Release Does Not Cover

This release does not cover harm caused by gross negligence or by harm done on purpose. If a court finds any part of this form cannot be enforced, the rest of it still applies.

My Signature

I have read this form and I understand it. I had the chance to ask questions. I am signing it of my own free will. I have reached the age of majority in this state, or my parent or legal guardian is signing for me.""",
)

PRIVACY_NOTICE = ConsentText(
    key="privacy_notice",
    title="Acknowledgement of the Notice of Privacy Practices",
    body="""\
Our Notice

{practice_name} keeps your health information private. Our Notice of Privacy Practices explains how we may use and share your health information. For example, we use it to plan and run your exercise sessions, to bill your insurance, and to run our practice.

The notice also explains your rights. You may see and get a copy of your records. You may ask us to correct them. You may ask us to limit how we share them. You may ask for a list of certain times we shared them. You may file a complaint, and we will not hold it against you.

What You Are Signing

By signing, you say only that you received our Notice of Privacy Practices, or that we offered it to you. Signing does not mean you agree to anything else. It does not give us permission to share your information in any way the notice does not describe.

You may ask for another copy of the notice at any time.

If You Choose Not to Sign

You do not have to sign this form to receive our services. If you do not sign, we will write down that we offered you the notice.

Questions

If you have a question about your privacy, ask any member of our staff.""",
    # The Privacy Rule asks a provider for a good-faith effort to get this signature (45 CFR
    # 164.520(c)(2)(ii)), and a client may decline without losing services; the refusal is
    # recorded instead, so it cannot block the first session.
    required=False,
)

FINANCIAL = ConsentText(
    key="financial",
    title="Financial Responsibility and Assignment of Benefits",
    body="""\
Paying for Your Sessions

You are responsible for paying for the services you receive at {practice_name}. We will tell you our fees before your first session. If you have insurance, we can check your coverage and send claims for you. Your insurance is a contract between you and your plan, and many plans do not pay for exercise training, or pay only part of it. You are responsible for any amount your insurance does not pay. This includes deductibles, copays and coinsurance, and any service your plan denies or does not cover.

Assignment of Benefits

I assign to {practice_name} the insurance benefits my plan would otherwise pay to me for services I receive here. This means my plan may pay {practice_name} directly. If my plan sends a payment to me instead, I will pass it on to {practice_name} promptly.

Release of Information for Claims

I allow {practice_name} to share the health and billing information my insurance plan needs to process my claims. This may include my dates of service, the services I received, my progress notes and my doctor's referral. This permission lasts until I cancel it in writing. Cancelling it does not undo sharing that has already happened.

Paying Yourself

If you pay for your sessions yourself, payment is due at each visit unless we agree on another plan. We can give you a detailed receipt, called a superbill, that you may send to your insurance plan yourself. You may also be able to pay with a Health Savings Account (HSA) or a Flexible Spending Account (FSA). Many plans ask for a Letter of Medical Necessity from your doctor first. We cannot promise that your plan or account will pay.

Your Agreement

By signing, I confirm that I read this form, that my questions were answered, and that I agree to it.""",
)

DEFAULT_CONSENTS: tuple[ConsentText, ...] = (INFORMED_CONSENT, LIABILITY_WAIVER, PRIVACY_NOTICE, FINANCIAL)
