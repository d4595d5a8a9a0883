"""Realistic trainer notes for the scope-of-practice guard (issue 16): notes that must pass clean and
notes that must be flagged, each with the reason.

To grow it, add a `Note` to CLEAN or FLAGGED. A flagged note lists every default term key the guard
must find in it, and no others: a note that flags more than it should is a false positive too.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    text: str
    why: str
    # Default term keys (metpwa.standards.scope_terms) the note must flag; empty for a clean note.
    terms: frozenset[str] = frozenset()


def flagged(text: str, why: str, *terms: str) -> Note:
    return Note(text, why, frozenset(terms))


CLEAN = [
    Note("Client arrived on time. Sit-to-stand 3 x 10 from a standard chair, arms crossed; RPE 5.",
         "exercise and its dose"),
    Note("Drank 500 ml of water between sets; no dizziness reported.", "a drink is not a dose"),
    Note("Brought a 750 ml water bottle and finished it by the end of the session.", "a bottle size"),
    Note("She treated herself to new walking shoes with a firmer heel counter.", "everyday 'treated herself'"),
    Note("Coffee afterwards as a treat for finishing the 6-minute walk.", "'a treat'"),
    Note("Gave her the tear-off sheet with the home program pictures.", "paper, not tissue"),
    Note("Strained the band on the last rep of rows; swapped to a heavier band next set.", "effort, not injury"),
    Note("Practised opening her pill organizer with the left hand: grip and pinch, 5 lids.",
         "a hand task, not medication"),
    Note("No diagnosis made; observations only: knee flexion 95 degrees, stairs one at a time.",
         "a plain negation"),
    Note("Exercise only; no diagnosis or treatment provided.", "a plain negation of both acts"),
    Note("Reminded the client that the trainer does not diagnose or treat; referred questions to her doctor.",
         "a statement of scope"),
    Note("Cleared for exercise after medical evaluation by her cardiologist on 2 March.",
         "another provider's evaluation, named as theirs"),
    Note("Sees a massage therapist on Fridays; no change to the plan.", "another provider, named"),
    Note("Self-massage of the calf with a foam roller, 60 s each side, taught for home.",
         "the client's own soft-tissue work"),
    Note("Slipped on ice on the sidewalk last winter; worried about falling outdoors.", "weather, not a modality"),
    Note("Recommended shoes with good traction for the walking program.", "grip of a sole"),
    Note("Pt tolerated the session well; no complaints.", "'Pt' is patient shorthand"),
    Note("Tandem stance held 6 s; semi-tandem 10 s. Worked on stance width at the counter.", "a measurement"),
    Note("TUG 13.1 s with a cane, turning en bloc; 4-stage balance stage 2 of 4.", "measures"),
    Note("Reports pain 3/10 on stairs, 1/10 at rest.", "the client's own rating"),
    Note("Walks twice daily with her dog, about 15 minutes each time.", "activity frequency"),
    Note("Heart rate 96 after the bike, 78 after 3 minutes' rest; BP 132/80 seated before exercise.",
         "vitals as numbers"),
    Note("Felt light-headed on standing from the mat; sat for 2 minutes, BP 110/70, resumed seated work.",
         "what was seen and done"),
    Note("Exercise prescription updated: bridges 3 x 12, clamshells with a red band 3 x 15.",
         "the field's own language"),
    Note("Completed all exercises as prescribed.", "prescribed exercise"),
    Note("Post-rehab strengthening program, week 3 of 8.", "post-rehabilitation exercise"),
    Note("Therapeutic exercise 24 minutes: leg press, step-ups, heel raises.", "the exercise itself"),
    Note("Red therapy band for rows and pull-aparts.", "equipment"),
    Note("Plan of Exercise version 2: two sessions a week for 8 weeks, goal TUG below 12 s.",
         "the MES's own plan"),
    Note("Re-assessment at week 6: knee flexion 120 degrees, chair stand 11.", "an assessment"),
    Note("Baseline assessment completed; results sent to Dr. Ortiz.", "an assessment"),
    Note("Goal reached: carries a full grocery bag 30 m without stopping.", "a functional goal"),
    Note("ML sway increased with eyes closed on foam.", "mediolateral sway"),
    Note("Hit tens of reps on the step without losing form.", "'tens' is a number"),
    Note("Discharged by her physical therapist on 3 March; starting exercise sessions here.",
         "another provider's care, named as theirs"),
    Note("Bike 10 minutes at level 3, 60 rpm, talk test passed.", "cardio dose"),
    Note("Secure the band to the door anchor at hip height before lateral steps.", "set-up"),
    Note("Rotator cuff strengthening with a yellow band, external rotation 2 x 15.", "muscle group"),
    Note("Turned 360 degrees in 5 steps each way; no loss of balance.", "observation"),
    Note("Wear and tear, she says, after 30 years of nursing; grip 22 kg right.", "everyday speech"),
    Note("Was in tears at the start of the session talking about her husband; chose a lighter day.",
         "crying, not tissue"),
    Note("Sit-to-stand 9 in 30 s using the arms; scored 0 per the protocol.", "a measure"),
    Note("Logged 2 sets of 10 at 8 kg; the third set dropped to 6 kg.", "sets and loads"),
    Note("Practised getting up from the floor using a chair, 3 times with standby help.", "functional training"),
]

FLAGGED = [
    flagged("Initial evaluation of the right knee. Plan of care: 97110 x2 units, 97112 x1 unit, GP modifier."
            " Eval billed 97162.",
            "the issue's example: a PT evaluation billed with codes, units and a modifier",
            "evaluation", "plan of care", "CPT or HCPCS code", "billing units", "modifier", "billed"),
    flagged("Re-evaluation due next week.", "a PT re-evaluation", "evaluation"),
    flagged("Prognosis good for return to golf.", "a prognosis", "prognosis"),
    flagged("Good rehab potential; motivated.", "a prognosis in PT words", "prognosis"),
    flagged("Skilled intervention required to progress gait.", "'skilled' is the language of therapy billing",
            "skilled service"),
    flagged("Client requires skilled services to progress safely.", "'skilled services'", "skilled service"),
    flagged("PT POC reviewed with the client.", "a physical therapist's plan of care", "PT", "plan of care"),
    flagged("Will continue PT 2x/week.", "calls the sessions physical therapy", "PT"),
    flagged("PT session 6: leg press and step-ups.", "calls the session physical therapy", "PT"),
    flagged("Goals per the plan of care: stairs with one rail.", "'plan of care'", "plan of care"),
    flagged("Performed 97530 for 15 minutes, then 97112.", "CPT codes in a note", "CPT or HCPCS code"),
    flagged("CPT code for today's session is 97110.", "CPT codes in a note", "CPT or HCPCS code"),
    flagged("4 units of therapeutic exercise today.", "billing units", "billing units"),
    flagged("Timed units: 3.", "billing units", "billing units"),
    flagged("Add the KX modifier once she is over the threshold.", "a billing modifier", "modifier"),
    flagged("Session billed to Medicare.", "billing in a note", "billed"),
    flagged("Hot pack 10 minutes to the low back before exercise.", "a physical agent", "thermal modality"),
    flagged("Ice to the knee for 15 minutes after the session.", "a physical agent", "thermal modality"),
    flagged("Applied ice after the step-ups.", "a physical agent", "thermal modality"),
    flagged("Moist heat to the neck while seated.", "a physical agent", "thermal modality"),
    flagged("Kinesio tape applied to the left knee for tracking.", "therapeutic taping", "taping"),
    flagged("Taped her kneecap before the step-downs.", "therapeutic taping", "taping"),
    flagged("IASTM to the calf before the walk.", "instrument soft-tissue work", "soft-tissue technique"),
    flagged("Cupping to the low back, 5 minutes.", "cupping", "soft-tissue technique"),
    flagged("Massaged the quads after the leg press.", "hands-on soft-tissue work", "soft-tissue technique"),
    flagged("Cervical traction 10 minutes at 12 lb.", "traction", "traction"),
    flagged("E-stim to the quads during the straight-leg raises.", "electrical stimulation", "passive modality"),
    flagged("Ultrasound to the shoulder, 5 minutes.", "ultrasound", "passive modality"),
    flagged("TENS unit on during the bike.", "electrical stimulation", "passive modality"),
    flagged("Orthostatic hypotension noted on standing from the mat.", "a medical diagnosis",
            "blood pressure condition"),
    flagged("Hypertensive today, so kept it light.", "a medical diagnosis", "blood pressure condition"),
    flagged("COPD limits her walking to 4 minutes.", "a medical diagnosis", "heart or lung condition"),
    flagged("Possible atrial fibrillation: pulse irregular.", "a medical diagnosis", "heart or lung condition"),
    flagged("Vertigo when lying back on the mat.", "a medical diagnosis", "neurological condition"),
    flagged("Post-stroke weakness on the left.", "a medical diagnosis", "neurological condition"),
    flagged("Diabetic, so checked her glucose before starting.", "a medical diagnosis",
            "metabolic or bone condition"),
    flagged("Edema in both ankles at the start of the session.", "a medical diagnosis",
            "metabolic or bone condition"),
    flagged("Took 400 mg of ibuprofen before the session, twice daily.", "a drug, its dose and schedule",
            "ibuprofen", "dose", "dosing schedule"),
    flagged("Knee meniscus tear; avoid deep squats.", "a tissue injury", "tear"),
    flagged("Strained her hamstring last week.", "a muscle injury", "pulled muscle"),
    flagged("Session to treat the knee pain.", "treating a condition", "treat"),
    flagged("Therapy today went well.", "calls the session therapy", "therapy"),
    flagged("Diagnosed with plantar fasciitis by the podiatrist; heel pain 6/10 on first steps.",
            "a diagnosis in the trainer's note", "diagnose", "plantar fasciitis"),
    flagged("No fracture on the X-ray per client.", "a named finding, not a plain negation", "fracture"),
]
