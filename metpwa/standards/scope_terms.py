"""The default word list of the scope-of-practice guard: wording that diagnoses, treats a condition or names medication, each with a reason and functional wording to use instead.

Why the list exists (standards.md, "Scope of practice"):
- Medicare Benefit Policy Manual (100-02) ch. 15 sec. 230.5: therapy is payable only when
  furnished by people trained in PT/OT/SLP; services by kinesiotherapists, athletic trainers
  "or any other profession" may not be billed as therapy, not even "incident to" a physician.
- MedExPROs' own guidance: a Medical Exercise Specialist (MES/AMES) assesses functional deficits
  and runs exercise programs; the MES does not diagnose, does not treat medical conditions, is not
  licensed to provide physical therapy, and billing MES sessions as PT is insurance fraud.
So notes describe function ("left shoulder flexion 110 deg, reaching overhead limited"); diagnoses
come from the referring provider's order and are recorded there (who, when, which document).

Physical-therapy and billing language (issue 16) is its own category, "billing":
- PT evaluation and re-evaluation codes 97161-97164 and the GP modifier (a service under a PT plan
  of care) are for physical therapists only (standards.md, "Timed codes" and "Modifiers"); an MES
  assesses and runs a Plan of Exercise, and writes neither an evaluation, a prognosis, "skilled"
  services nor a plan of care.
- Codes, units and modifiers belong on the claim, which is built from the session log; in a note
  they read as the trainer billing the session, whatever the claim later says.
- Physical agents (heat, cold), mechanical and electrotherapeutic modalities (traction,
  electrical stimulation, ultrasound) and manual therapy, soft-tissue techniques and taping are
  physical-therapy interventions in state practice acts modelled on the FSBPT Model Practice Act
  (7th ed., 2023), not exercise: they are "treatment".
- Naming a medical (non-musculoskeletal) condition in a note is diagnosing as much as naming an
  orthopaedic one: conditions come from the referral and the health history.

Patterns are regular expressions, written in lower case and matched case-insensitively as whole
words: the guard adds the word boundaries, so a pattern here never needs them. Each pattern spells
out its own inflections.
"""

from dataclasses import dataclass
from typing import Literal

Category = Literal["diagnosis", "treatment", "medication", "billing"]

CATEGORIES: tuple[Category, ...] = ("diagnosis", "treatment", "medication", "billing")

# What a flag of each category says the wording does, in a sentence's predicate.
CATEGORY_LABELS: dict[Category, str] = {
    "diagnosis": "names a diagnosis",
    "treatment": "describes treating a condition",
    "medication": "names a medication or dose",
    "billing": "is physical-therapy or billing language",
}

# The same predicates for more than one flagged word: "“rehab”, “treatment” describe treating a condition".
CATEGORY_LABELS_MANY: dict[Category, str] = {
    "diagnosis": "name a diagnosis",
    "treatment": "describe treating a condition",
    "medication": "name a medication or dose",
    "billing": "are physical-therapy or billing language",
}

SCOPE_SOURCE = (
    "Medicare Benefit Policy Manual ch. 15 sec. 230.5; MedExPROs guidance on MES scope"
    " (standards.md, Scope of practice)"
)

# Shown for practice-added terms, which carry only a phrase and a category.
CATEGORY_REASONS: dict[Category, str] = {
    "diagnosis": "Names a diagnosis; an MES does not diagnose.",
    "treatment": "Says the session treats a condition; an MES runs exercise programs and does not treat medical conditions.",
    "medication": "Names medication or a dose; medication is outside an MES's scope.",
    "billing": (
        "Writes as a physical therapist or in billing terms; an MES does not evaluate, treat or bill"
        " as a physical therapist, and codes belong on the claim, not in the note."
    ),
}

CATEGORY_SUGGESTIONS: dict[Category, str] = {
    "diagnosis": (
        "Describe what the client can and cannot do, e.g. 'shoulder flexion 110 degrees,"
        " reaching overhead limited'; the diagnosis belongs to the referral."
    ),
    "treatment": (
        "Describe the exercise and its functional aim, e.g. 'strengthening to improve"
        " sit-to-stand from a standard chair'."
    ),
    "medication": (
        "Leave medication to the client's health history; in the note, record what you"
        " observed, e.g. 'reports pain 3/10 on stairs today'."
    ),
    "billing": (
        "Describe the session in exercise terms, e.g. 'Plan of Exercise session 4: sit-to-stand"
        " 3 x 10 from a standard chair, RPE 5'; codes and units go on the claim from the session log."
    ),
}


@dataclass(frozen=True)
class ScopeTerm:
    """One default entry; `key` is what a practice names to remove it from its list."""

    key: str
    pattern: str
    category: Category
    reason: str
    suggestion: str
    # Phrases inside which the term is ordinary English, not a finding ("wear and tear").
    except_in: tuple[str, ...] = ()
    # Context that must end right where the term starts, for words that are only out of scope
    # after it ("hamstring strain", "ibuprofen ... twice daily"); the context is not flagged.
    after: str = ""
    # Abbreviations matched only as written, so "OA" flags and the word "oa" or "tens" does not.
    exact_case: tuple[str, ...] = ()


# Body parts that turn the everyday word "strain" (effort) into an injury label.
_STRAIN_SITES = (
    r"hamstrings?|groin|calf|calves|quad(?:ricep)?s?|quadriceps|adductors?|abdominals?|abs"
    r"|obliques?|pec(?:toral)?s?|trap(?:ezius|s)?|lats?|back|neck|lumbar|cervical|thoracic"
    r"|shoulder|hip\s+flexor|hip|knee|ankle|wrist|elbow|muscle|muscular|tendon|ligament"
    r"|grade\s+(?:[123]|i{1,3})"
)

# What a client drinks, measured in millilitres without being a dose.
_DRINKS = (
    r"(?:water|fluids?|juice|tea|coffee|milk|sports\s+drinks?|electrolytes?|gatorade|protein\s+shakes?"
    r"|smoothies?|soup|broth)(?!\w)"
)

# Where ice or heat goes when it is applied to the client ("ice on the sidewalk" is weather).
_BODY_PARTS = (
    r"knees?|kneecaps?|shoulders?|(?:low\s+|lower\s+|upper\s+)?back|ankles?|hips?|neck|elbows?|wrists?|feet"
    r"|foot|heels?|calf|calves|hamstrings?|quads?|hands?|arms?|legs?|thighs?"
)

# Drug names, one alternation per entry, reused by "dosing schedule" so a frequency is
# flagged only when it follows a drug or a dose ("walks twice daily" is function).
_IBUPROFEN = r"ibuprofen|advil|motrin"
_ACETAMINOPHEN = r"acetaminophen|paracetamol|tylenol"
_NSAID = (
    r"nsaids?|naproxen|aleve|aspirin|diclofenac|celecoxib|celebrex|meloxicam|ketorolac"
    r"|anti-?inflammator(?:y|ies)"
)
_OPIOID = (
    r"opioids?|opiates?|oxycodone|hydrocodone|tramadol|codeine|morphine|fentanyl|percocet"
    r"|vicodin|pain\s*killers?"
)
_CORTISONE = r"cortisone(?:\s+shots?)?|corticosteroids?|steroids?|prednisone|prednisolone"
_MUSCLE_RELAXANT = r"muscle\s+relaxants?|cyclobenzaprine|methocarbamol|baclofen|tizanidine"
_GABAPENTIN = r"gabapentin|pregabalin|lyrica|neurontin"
# The lookbehind starts a number only at its first digit; without it a long run of digits costs
# a rescan from every digit in it.
_DOSE = (
    r"(?<![\d.,])\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ml|milligrams?|micrograms?|millilit(?:re|er)s?)"
    # "500 ml of water" is a drink, not a dose (also for "dosing schedule" after it).
    rf"(?!\s+(?:of\s+)?{_DRINKS})"
)
_DRUG_OR_DOSE = "|".join(
    (_IBUPROFEN, _ACETAMINOPHEN, _NSAID, _OPIOID, _CORTISONE, _MUSCLE_RELAXANT, _GABAPENTIN, _DOSE)
)
_FREQUENCY = (
    r"(?:once|twice|three\s+times|four\s+times|[1-4]\s*(?:x|times))\s+(?:a\s+|per\s+)?(?:day|daily|night)"
    r"|daily|nightly|every\s+\d{1,2}\s+hours|at\s+bedtime|as\s+needed"
)

# A plain negation before a word that only names the act ("no diagnosis made", "does not diagnose
# or treat"): the trainer says the act did not happen. A named finding ("no lesion found") is
# still a finding, so only the act words take this.
_NOT = r"(?:\w+n['’]t|no|not|nor|never|without)\s+(?:(?:a|any|formal)\s+)?(?:\w+\s+(?:or|and|nor)\s+)?"

_DIAGNOSIS_SUGGESTION = CATEGORY_SUGGESTIONS["diagnosis"]
_TREATMENT_SUGGESTION = CATEGORY_SUGGESTIONS["treatment"]
_MEDICATION_SUGGESTION = CATEGORY_SUGGESTIONS["medication"]

DEFAULT_TERMS: tuple[ScopeTerm, ...] = (
    # Diagnosis
    ScopeTerm(
        "diagnose",
        r"diagnos(?:e|es|ed|ing|is|tic|tics|tically)|dx|dx['’]?d",
        "diagnosis",
        "Reports a diagnosis; diagnoses come from the referring provider's order, not the trainer.",
        "Record the diagnosis on the referral (who, when, which document); in the note, describe"
        " function, e.g. 'shoulder flexion 110 degrees, reaching overhead limited'.",
        except_in=(rf"{_NOT}diagnos(?:e|es|ed|ing|is)",),
    ),
    ScopeTerm(
        "tear",
        r"tear|tears|tearing|tore|torn",
        "diagnosis",
        "Names a tissue injury, which is a diagnosis.",
        "Describe what the client can and cannot do, e.g. 'shoulder abduction 90 degrees,"
        " cannot lift a kettle to the shelf'.",
        except_in=(
            # Crying, or ripping paper: "tears up when talking about her late husband".
            r"(?:tear|tears|tearing|tore|torn)\s+up",
            r"(?:in|into|to|through|back)\s+tears",
            r"tears?\s+(?:in|from|on)\s+(?:her|his|their|my|your)\s+(?:eyes|face|cheeks)",
            r"tears\s+(?:of\s+(?:joy|relief|frustration|sadness|grief|laughter)|welled|streamed|rolled|flowed)",
            # Everyday speech for ageing, naming no condition; a practice may add it as its own term.
            r"wear\s+and\s+tear",
            r"torn\s+between",
            # Paper: "tear-off sheet", "tear-off calendar".
            r"tear[-\s]off",
        ),
    ),
    ScopeTerm(
        "rotator cuff tear",
        r"rotator\s+cuff\s+(?:tears?|torn|ruptures?|tend[io]n(?:itis|osis|opathy)|injury|injuries|syndrome)"
        r"|torn\s+rotator\s+cuffs?",
        "diagnosis",
        "Names a shoulder injury, which is a diagnosis.",
        "Describe the shoulder's function, e.g. 'right shoulder flexion 110 degrees, reaching"
        " overhead limited'.",
    ),
    ScopeTerm(
        "tendinitis",
        r"tend[io]n(?:itis|itides|osis|opathy|opathies)",
        "diagnosis",
        "Names a tendon condition, which is a diagnosis.",
        "Describe the movement and the client's report, e.g. 'elbow extension against"
        " resistance reported painful at 5/10'.",
    ),
    ScopeTerm(
        "bursitis",
        r"bursitis",
        "diagnosis",
        "Names an inflammatory condition, which is a diagnosis.",
        "Describe the limitation, e.g. 'side-lying on the right hip not tolerated; hip"
        " abduction 30 degrees'.",
    ),
    ScopeTerm(
        "plantar fasciitis",
        r"plantar\s+fasci?itis|fasci?itis",
        "diagnosis",
        "Names a foot condition, which is a diagnosis.",
        "Describe the function, e.g. 'reports heel pain 6/10 on first steps; walks 5 minutes"
        " before resting'.",
    ),
    ScopeTerm(
        "epicondylitis",
        r"epicondyl(?:itis|algia)|tennis\s+elbow|golfer['’]?s\s+elbow",
        "diagnosis",
        "Names an elbow condition, which is a diagnosis.",
        "Describe the function, e.g. 'grip 18 kg right, 26 kg left; carrying a full bag limited'.",
    ),
    ScopeTerm(
        "arthritis",
        r"osteoarthrit(?:is|ic|ides)|arthrit(?:is|ic|ides)|osteoarthrosis|arthrosis"
        r"|degenerative\s+joint\s+disease|djd",
        "diagnosis",
        "Names a joint disease; only the referring provider's order may carry it, recorded on the referral.",
        "Describe the joint's function, e.g. 'knee flexion 95 degrees, difficulty with stairs'.",
        exact_case=("OA",),
    ),
    ScopeTerm(
        "degenerative disc disease",
        r"degenerative\s+dis[ck]\s+disease",
        "diagnosis",
        "Names a spinal condition, which is a diagnosis.",
        "Describe the function, e.g. 'trunk flexion to mid-shin; sitting tolerance 20 minutes'.",
        exact_case=("DDD",),
    ),
    ScopeTerm(
        "sprain",
        r"sprain(?:s|ed|ing)?",
        "diagnosis",
        "Names a ligament injury, which is a diagnosis.",
        "Describe the function, e.g. 'single-leg stance 4 s on the left, 15 s on the right'.",
    ),
    ScopeTerm(
        "strain",
        r"strains?",
        "diagnosis",
        "Names a muscle or tendon injury, which is a diagnosis.",
        "Describe the function, e.g. 'hamstring length: straight-leg raise 60 degrees; stride"
        " shortened on the left'.",
        # Plain "strain" is effort ("without straining", "strain gauge"); after a body part it is an injury.
        after=rf"(?:{_STRAIN_SITES})\s+",
    ),
    ScopeTerm(
        "pulled muscle",
        # "Strained the band" is effort; "strained her back" is an injury.
        rf"strained\s+(?:a|an|the|her|his|their|my|your)\s+(?:(?:left|right|lower|upper)\s+)?(?:{_STRAIN_SITES})"
        r"|pulled\s+(?:(?:a|an|her|his|their|my)\s+)?(?:muscle|hamstring|groin|calf|back)",
        "diagnosis",
        "Names a muscle injury, which is a diagnosis.",
        "Describe the function, e.g. 'bends to mid-shin; reports pulling in the back of the thigh"
        " at 3/10'.",
    ),
    ScopeTerm(
        "herniated disc",
        r"herniat(?:ed|ion|ions)|(?:bulging|slipped|ruptured|protruding)\s+dis[ck]s?"
        r"|dis[ck]\s+(?:bulges?|herniations?|protrusions?|prolapses?)",
        "diagnosis",
        "Names a spinal injury, which is a diagnosis.",
        "Describe the function, e.g. 'sitting tolerance 15 minutes; lifting from the floor limited'.",
    ),
    ScopeTerm(
        "impingement",
        r"imping(?:e|es|ed|ing|ement|ements)",
        "diagnosis",
        "Names a mechanical diagnosis.",
        "Describe the movement, e.g. 'shoulder abduction 100 degrees, reports pinching above"
        " 90 degrees'.",
    ),
    ScopeTerm(
        "sciatica",
        r"sciatica|sciatic\s+(?:pain|nerve\s+pain|irritation)",
        "diagnosis",
        "Names a nerve condition, which is a diagnosis.",
        "Record the client's report and the function, e.g. 'reports tingling down the left leg"
        " after 10 minutes of sitting'.",
    ),
    ScopeTerm(
        "radiculopathy",
        r"radiculopath(?:y|ies)|radicular\s+pain|pinched\s+nerves?",
        "diagnosis",
        "Names a nerve condition, which is a diagnosis.",
        "Record the client's report and the function, e.g. 'reports numbness in the right hand"
        " when reaching overhead'.",
    ),
    ScopeTerm(
        "neuropathy",
        r"peripheral\s+neuropath(?:y|ies|ic)|neuropath(?:y|ies|ic)",
        "diagnosis",
        "Names a nerve condition, which is a diagnosis.",
        "Record what you observed, e.g. 'reports reduced feeling in both feet; tandem stance"
        " held 3 s'.",
    ),
    ScopeTerm(
        "stenosis",
        r"stenos(?:is|es)",
        "diagnosis",
        "Names a spinal condition, which is a diagnosis.",
        "Describe the function, e.g. 'walks 4 minutes before sitting to rest'.",
    ),
    ScopeTerm(
        "spondylosis",
        r"spondyl(?:osis|oses|olysis|olisthesis|itis)",
        "diagnosis",
        "Names a spinal condition, which is a diagnosis.",
        "Describe the function, e.g. 'trunk extension limited; standing tolerance 10 minutes'.",
    ),
    ScopeTerm(
        "scoliosis",
        r"scolios(?:is|es)|scoliotic",
        "diagnosis",
        "Names a spinal diagnosis, which needs imaging and a physician.",
        "Describe the posture you observed, e.g. 'right shoulder higher than left; trunk shifted"
        " to the left in standing'.",
    ),
    ScopeTerm(
        "frozen shoulder",
        r"frozen\s+shoulders?|adhesive\s+capsulitis|capsulitis",
        "diagnosis",
        "Names a shoulder condition, which is a diagnosis.",
        "Describe the shoulder's function, e.g. 'shoulder external rotation 20 degrees; cannot"
        " reach behind the head'.",
    ),
    ScopeTerm(
        "fracture",
        r"fractur(?:e|es|ed)",
        "diagnosis",
        "Names a bone injury, which is a diagnosis.",
        "Describe the function, and put any fracture history on the referral, e.g. 'walks with"
        " a cane; TUG 14.2 s'.",
    ),
    ScopeTerm(
        "dislocation",
        r"dislocat(?:e|es|ed|ion|ions)|subluxat(?:e|es|ed|ion|ions)",
        "diagnosis",
        "Names a joint injury, which is a diagnosis.",
        "Describe the function, e.g. 'reports the shoulder feels unsteady above 90 degrees of"
        " abduction'.",
    ),
    ScopeTerm(
        "carpal tunnel syndrome",
        r"carpal\s+tunnel(?:\s+syndromes?)?",
        "diagnosis",
        "Names a nerve condition, which is a diagnosis.",
        "Describe the function, e.g. 'grip 14 kg right; reports tingling in the fingers after"
        " 5 minutes of typing'.",
    ),
    ScopeTerm(
        "syndrome",
        r"syndromes?",
        "diagnosis",
        "A syndrome is a diagnostic label.",
        _DIAGNOSIS_SUGGESTION,
    ),
    ScopeTerm(
        "inflammation",
        r"inflam(?:ed|mation|mations|matory)",
        "diagnosis",
        "Judging inflammation is a clinical finding, not an exercise observation.",
        "Describe what you saw or were told, e.g. 'right knee visibly larger than left; reports"
        " warmth'.",
    ),
    ScopeTerm(
        "chondromalacia",
        r"chondromalacia",
        "diagnosis",
        "Names a joint condition, which is a diagnosis.",
        "Describe the function, e.g. 'reports knee pain 4/10 descending stairs; squat to 60"
        " degrees of knee flexion'.",
    ),
    ScopeTerm(
        "shin splints",
        r"shin\s+splints?",
        "diagnosis",
        "A lay name for a diagnosis.",
        "Describe the function, e.g. 'reports shin pain 3/10 after 8 minutes of brisk walking'.",
    ),
    ScopeTerm(
        "runner's knee",
        r"(?:runner|jumper)['’]?s\s+knees?",
        "diagnosis",
        "A lay name for a diagnosis.",
        "Describe the function, e.g. 'reports knee pain 4/10 on stairs; step-down 15 cm controlled'.",
    ),
    ScopeTerm(
        "whiplash",
        r"whiplash",
        "diagnosis",
        "A lay name for a neck injury diagnosis.",
        "Describe the function, e.g. 'neck rotation 45 degrees right; checking over the shoulder"
        " when driving limited'.",
    ),
    ScopeTerm(
        "concussion",
        r"concussions?|concussed",
        "diagnosis",
        "Names a brain injury, which is a diagnosis.",
        "Record what happened and what you observed, and refer back to the provider, e.g."
        " 'struck head on the bar; reports dizziness; session stopped'.",
    ),
    ScopeTerm(
        "lesion",
        r"lesions?",
        "diagnosis",
        "A lesion is a clinical finding.",
        _DIAGNOSIS_SUGGESTION,
    ),
    ScopeTerm(
        "pathology",
        r"patholog(?:y|ies|ic|ical)",
        "diagnosis",
        "Naming pathology is diagnosing.",
        _DIAGNOSIS_SUGGESTION,
    ),
    # Medical (non-musculoskeletal) conditions: naming one in a note is diagnosing it too.
    ScopeTerm(
        "blood pressure condition",
        r"(?:orthostatic|postural)\s+hypotension|hypotens(?:ion|ive)|hypertens(?:ion|ive)",
        "diagnosis",
        "Names a blood-pressure condition, which is a medical diagnosis.",
        "Record the readings and what you saw, e.g. 'BP 128/80 seated, 104/66 after 1 minute"
        " standing; reports light-headedness; sat to rest, session resumed after 3 minutes'.",
        exact_case=("HTN",),
    ),
    ScopeTerm(
        "heart or lung condition",
        r"(?:congestive\s+)?heart\s+failure|chf|atrial\s+fibrillation|a-?fib|arrhythmias?|angina"
        r"|myocardial\s+infarctions?|heart\s+attacks?|coronary\s+artery\s+disease|copd|emphysema|asthma"
        r"|pulmonary\s+embol(?:ism|i)|deep\s+vein\s+thrombos[ie]s|dvt|pneumonia",
        "diagnosis",
        "Names a heart, lung or circulation condition, which is a medical diagnosis.",
        "Record what you measured and saw, e.g. 'HR 112, irregular at the wrist; SpO2 93%; talk"
        " test: speaks 4-5 words at a time; walking stopped and the referring provider called'.",
        # Upper-case shorthand only where it cannot be a state ("MI", "OH") or a school subject ("PE").
        exact_case=("CAD",),
    ),
    ScopeTerm(
        "neurological condition",
        r"parkinson['’]?s(?:\s+disease)?|parkinsonism|multiple\s+sclerosis|dementia|alzheimer['’]?s(?:\s+disease)?"
        r"|(?:post[-\s]|(?:had|after|since|from)\s+(?:a|her|his|their)\s+)strokes?|cva|vertigo|bppv|seizures?|epilep(?:sy|tic)",
        "diagnosis",
        "Names a neurological condition, which is a medical diagnosis.",
        "Describe the movement and the client's report, e.g. 'turns in 6 steps; reports the room"
        " spinning when lying back; sat up, symptoms eased in 30 s'.",
        exact_case=("TIA",),
    ),
    ScopeTerm(
        "metabolic or bone condition",
        r"diabet(?:es|ic)|hypoglyc(?:a)?emi(?:a|c)|hyperglyc(?:a)?emi(?:a|c)|osteoporo(?:sis|tic)|osteopenia"
        r"|an(?:a)?emi(?:a|c)|(?:lymph)?o?edema|chronic\s+kidney\s+disease|renal\s+failure|ckd|cancer",
        "diagnosis",
        "Names a medical condition, which is a diagnosis; it belongs to the referral and the health history.",
        "Record what you measured and saw, e.g. 'glucose 92 mg/dL on her own meter before the"
        " session; both ankles visibly swollen at the start'.",
    ),
    # Treatment
    ScopeTerm(
        "treat",
        r"treat(?:s|ed|ing|ment|ments)?",
        "treatment",
        CATEGORY_REASONS["treatment"],
        _TREATMENT_SUGGESTION,
        except_in=(
            rf"{_NOT}treat(?:s|ed|ing|ment|ments)?",
            # Everyday English: "treated herself to new shoes", "a treat after the session".
            r"treat(?:s|ed|ing)?\s+(?:her|him|them|me|us|herself|himself|themselves|myself|ourselves|yourself)\s+to",
            r"(?:a|as\s+a|little|special|birthday)\s+treats?",
        ),
    ),
    ScopeTerm(
        "cure",
        r"cur(?:e|es|ed|ing)",
        "treatment",
        "Claims to cure a condition; an MES does not treat medical conditions.",
        _TREATMENT_SUGGESTION,
    ),
    ScopeTerm(
        "rehab",
        r"rehab(?:s|bed|bing)?|rehabilitat(?:e|es|ed|ing|ion|ive)",
        "treatment",
        "Rehabilitating an injury is treatment, the work of a licensed therapist.",
        "Describe the exercise program and its functional aim, e.g. 'progressive lower-body"
        " strengthening to climb one flight of stairs without the rail'.",
        # MES work is described in the field as post-rehabilitation exercise: after therapy ends.
        except_in=(r"post[-\s]?rehab(?:ilitation|ilitative)?",),
    ),
    ScopeTerm(
        "therapy",
        r"therap(?:y|ies)",
        "treatment",
        "MES sessions are not therapy and may not be billed or described as therapy"
        " (Medicare Benefit Policy Manual ch. 15 sec. 230.5).",
        "Say 'exercise session' or 'exercise program'; when naming another provider's care,"
        " name the provider, e.g. 'discharged by her physical therapist on 3 March'.",
        # Equipment names, not a service.
        except_in=(r"therapy\s+(?:bands?|balls?|putty|tubing)",),
    ),
    ScopeTerm(
        "physical therapy",
        r"physical\s+therap(?:y|ies)|physiotherap(?:y|ies)",
        "treatment",
        "An MES is not licensed to provide physical therapy; billing MES sessions as PT is insurance fraud.",
        "Say 'exercise session' or 'exercise program'; when naming another provider's care,"
        " name the provider, e.g. 'discharged by her physical therapist on 3 March'.",
    ),
    ScopeTerm(
        "manual therapy",
        r"manual\s+therap(?:y|ies)|soft[-\s]tissue\s+mobili[sz]ations?",
        "treatment",
        "Hands-on therapy is a licensed therapist's treatment.",
        "Describe the exercise the client performed, e.g. 'self-stretch of the calf at the wall,"
        " 3 x 30 s'.",
    ),
    ScopeTerm(
        "mobilization of the joint",
        r"(?:joint|spinal|spine|grade\s+[1-5iv]+)\s+mobili[sz]ations?"
        r"|mobili[sz](?:e|es|ed|ing|ation|ations)\s+(?:of\s+)?(?:(?:the|a|her|his|their)\s+)?(?:\w+\s+)?"
        r"(?:joints?|spine|vertebrae?|facets?)",
        "treatment",
        "Joint mobilization is a licensed therapist's treatment.",
        "Describe the active movement the client performed, e.g. 'active knee flexion slides,"
        " 2 x 15; flexion 95 to 105 degrees'.",
    ),
    ScopeTerm(
        "spinal manipulation",
        r"(?:spinal|spine|joint|chiropractic)\s+manipulations?"
        r"|manipulat(?:e|es|ed|ing)\s+(?:(?:the|her|his|their)\s+)?(?:spine|neck|back|joints?)",
        "treatment",
        "Manipulation is a licensed clinician's treatment.",
        _TREATMENT_SUGGESTION,
    ),
    ScopeTerm(
        "passive modality",
        r"dry\s+needling|electrical\s+(?:muscle\s+)?stimulation|electrotherapy|e-?stim|nmes|ultrasound"
        r"|interferential(?:\s+current)?|iontophoresis|phonophoresis|diathermy"
        r"|(?:cold|low[-\s]level|class\s+(?:iii|iv|3|4))\s+laser|photobiomodulation",
        "treatment",
        "Needling, electrical stimulation, ultrasound and laser are physical-therapy modalities, not exercise.",
        _TREATMENT_SUGGESTION,
        exact_case=("TENS", "IFC"),
    ),
    ScopeTerm(
        "thermal modality",
        r"(?:hot|cold|ice|heat|gel)\s+packs?|moist\s+heat|hydrocollator|ice\s+(?:massage|bath|cups?)"
        r"|(?:applied|apply|applying)\s+(?:ice|heat)"
        rf"|ice\s+(?:to|on)\s+(?:the|her|his|their)\s+(?:(?:left|right)\s+)?(?:{_BODY_PARTS})"
        rf"|iced\s+(?:the|her|his|their)\s+(?:(?:left|right)\s+)?(?:{_BODY_PARTS})|cryotherapy|paraffin(?:\s+(?:bath|wax))?|whirlpool"
        r"|contrast\s+baths?|fluidotherapy",
        "treatment",
        "Heat, ice and other physical agents are physical-therapy modalities, not exercise.",
        "Record the exercise and the client's report, e.g. 'warm-up 8 minutes on the bike; knee"
        " pain 2/10 after'; what the client does at home for pain is their own care.",
    ),
    ScopeTerm(
        "taping",
        r"kinesio[-\s]?tap(?:e|ed|ing)|kinesiotap(?:e|ed|ing)|kt\s+tap(?:e|ed|ing)|k-tape"
        r"|(?:rigid|athletic|mcconnell|leukotape|sports)\s+tap(?:e|ed|ing)"
        r"|tap(?:ed|ing)\s+(?:the|her|his|their)\s+(?:knee|kneecap|patella|shoulder|ankle|wrist|elbow|back|foot|arch)",
        "treatment",
        "Therapeutic taping is a physical-therapy intervention, not exercise.",
        "Describe the exercise and how it went, e.g. 'step-downs from 15 cm, 2 x 8, knee tracks"
        " over the second toe with cueing'.",
    ),
    ScopeTerm(
        "soft-tissue technique",
        r"iastm|instrument[-\s]assisted\s+soft[-\s]tissue(?:\s+mobili[sz]ation)?|graston|gua\s+sha"
        r"|cupping|cupped|massag(?:e|ed|es|ing)|myofascial\s+release|trigger\s+points?\s+(?:release|therapy|work)"
        r"|deep\s+tissue\s+work",
        "treatment",
        "Hands-on and instrument soft-tissue work is a physical-therapy or massage-therapy intervention.",
        "Describe what the client did, e.g. 'self-massage of the calf with a foam roller, 60 s a"
        " side, taught for home'.",
        # The client's own tools and their own work, which an MES may coach.
        except_in=(
            r"self[-\s]?(?:massag(?:e|ed|es|ing)|myofascial\s+release)",
            r"massage\s+(?:balls?|rollers?|sticks?|guns?)",
            # Another provider, named as such.
            r"massage\s+therapists?",
            r"(?:foam\s+roll(?:er|ing)|roller)\s+(?:\w+\s+){0,2}myofascial\s+release",
        ),
    ),
    ScopeTerm(
        "traction",
        r"(?:cervical|lumbar|mechanical|manual|spinal|pelvic|neck|intermittent)\s+traction"
        r"|traction\s+(?:table|unit|machine|device)",
        "treatment",
        "Traction is a physical-therapy modality, not exercise.",
        _TREATMENT_SUGGESTION,
    ),
    ScopeTerm(
        "prescribe",
        r"prescri(?:be|bes|bed|bing|ption|ptions)",
        "treatment",
        "Prescribing anything but exercise (medication, rest, a brace) is outside an MES's scope.",
        "Name the exercise and its dosage, e.g. 'sit-to-stand 2 x 10 from a standard chair';"
        " leave medication and devices to the referring provider.",
        # The MES field's own language: an exercise prescription, prescribed exercises and sets.
        except_in=(
            r"exercise\s+prescriptions?",
            r"prescriptions?\s+(?:of|for)\s+(?:(?:the|an?)\s+)?(?:home\s+)?exercises?",
            r"prescri(?:be|bes|bed|bing)\s+(?:(?:a|an|the|these|this|her|his|their|each|\d+)\s+)?"
            r"(?:(?:home|new|progressed|following|daily|weekly|balance|strength|strengthening)\s+)?"
            r"(?:exercises?|sets|reps|repetitions|program|programme|plan)",
            r"(?:exercises?|sets|reps|program|programme|plan)\s+(?:(?:was|were|is|are|as)\s+)?prescribed",
        ),
    ),
    # Medication
    ScopeTerm(
        "ibuprofen",
        _IBUPROFEN,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "acetaminophen",
        _ACETAMINOPHEN,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "NSAID",
        _NSAID,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "opioid",
        _OPIOID,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "cortisone",
        _CORTISONE,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "muscle relaxant",
        _MUSCLE_RELAXANT,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "gabapentin",
        _GABAPENTIN,
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "injection",
        r"inject(?:ion|ions|ed|able)|(?:steroid|gel|hyaluronic)\s+shots?",
        "medication",
        "Names a medical injection.",
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "pill",
        r"pills?",
        "medication",
        CATEGORY_REASONS["medication"],
        _MEDICATION_SUGGESTION,
        # Opening a pill organizer is a hand task the client practises, not medication.
        except_in=(r"pills?\s+(?:organi[sz]ers?|box(?:es)?|cases?|bottles?\s+lids?|dispensers?)",),
    ),
    ScopeTerm(
        "dose",
        _DOSE,
        "medication",
        "Names a medication dose.",
        _MEDICATION_SUGGESTION,
        # A bare unit only as written, so "ML sway" (mediolateral) stays clear.
        exact_case=("mg", "mcg", "ml", "mL"),
        except_in=(
            rf"\d+(?:[.,]\d+)?\s*(?:ml|millilit(?:re|er)s?)\s+(?:of\s+)?{_DRINKS}",
            (
                r"(?:drank|drinks?|drinking|sipped|sips?|finished)\s+(?:about\s+|around\s+|over\s+)?"
                r"\d+(?:[.,]\d+)?\s*(?:ml|millilit(?:re|er)s?)"
            ),
        ),
    ),
    ScopeTerm(
        "dosing abbreviation",
        r"b\.?i\.?d|t\.?i\.?d|q\.?i\.?d|p\.?r\.?n|q\.?h\.?s|q\.?\s?\d{1,2}\s?h(?:rs?)?",
        "medication",
        "A medication dosing abbreviation.",
        _MEDICATION_SUGGESTION,
    ),
    ScopeTerm(
        "dosing schedule",
        _FREQUENCY,
        "medication",
        "Gives a medication schedule.",
        _MEDICATION_SUGGESTION,
        # Within the same clause after a drug or a dose; the drug and dose have their own entries.
        after=rf"(?:{_DRUG_OR_DOSE})[^.;\n]{{0,40}}",
    ),
    # Physical-therapy and billing language
    ScopeTerm(
        "evaluation",
        r"re-?evaluat(?:e|es|ed|ing|ion|ions)|re-?evals?|evaluations?|evals?",
        "billing",
        "An evaluation or re-evaluation is a physical-therapy service (97161-97164); an MES carries out"
        " an assessment.",
        "Say 'baseline assessment' or 're-assessment', e.g. 'Re-assessment at week 6: TUG 11.8 s,"
        " knee flexion 120 degrees'.",
        except_in=(
            # Another provider's evaluation, named as theirs.
            (
                r"(?:medical|physician['’]?s?|doctor['’]?s?|cardiac|cardiology|clinical|specialist|surgical"
                r"|orthopa?edic|neurology)\s+evaluations?"
            ),
            (
                r"evaluations?\s+(?:by|from|with)\s+(?:(?:her|his|their|the|a|an)\s+)?(?:physician|doctor|dr\.?"
                r"|cardiologist|surgeon|provider|pcp|specialist|orthopa?edist|neurologist|md)"
            ),
            rf"{_NOT}(?:re-?)?evaluations?",
        ),
    ),
    ScopeTerm(
        "prognosis",
        r"prognos(?:is|es|tic)|rehab(?:ilitation)?\s+potential",
        "billing",
        "A prognosis is part of a therapist's or physician's evaluation, not an exercise note.",
        "State the plan's measurable goal instead, e.g. 'goal: TUG below 12 s by week 8'.",
    ),
    ScopeTerm(
        "skilled service",
        r"skilled\s+(?:interventions?|services?|care|therapy|treatments?|instruction|ther\s*ex"
        r"|therapeutic\s+exercise|physical\s+therapy|need|nursing)",
        "billing",
        "\"Skilled\" services are how therapy is justified for payment; an MES's sessions are exercise,"
        " not skilled therapy.",
        "Describe what you did and why, e.g. 'cued hip hinge on each rep; progressed to 8 kg as form"
        " held for 3 x 10'.",
    ),
    ScopeTerm(
        "plan of care",
        r"plans?\s+of\s+care|pocs?",
        "billing",
        "A plan of care is a physical therapist's plan (the GP modifier's plan); an MES writes a Plan of"
        " Exercise.",
        "Say 'Plan of Exercise', e.g. 'Plan of Exercise version 2: 2 sessions a week for 8 weeks'.",
    ),
    ScopeTerm(
        "PT",
        r"p\.t\.",
        "billing",
        "\"PT\" reads as physical therapy; an MES's sessions are not physical therapy and may not be"
        " described or billed as such.",
        "Say 'exercise session' for your own work and 'client' for the person; name another provider's"
        " care as theirs, e.g. 'discharged by her physical therapist on 3 March'.",
        # Upper case only: "pt" and "Pt" are the common shorthand for a patient.
        exact_case=("PT", "PTs"),
    ),
    ScopeTerm(
        "CPT or HCPCS code",
        r"(?:cpt|hcpcs)(?:\s+codes?)?|97\d{3}|g0\d{3}|s9451|059[1-3]t",
        "billing",
        "Names a billing code; codes belong on the claim, which metpwa builds from the session log.",
        "Describe the exercise and its minutes, e.g. 'balance and coordination work 15 minutes:"
        " tandem walking, single-leg stance'.",
    ),
    ScopeTerm(
        "billing units",
        # A number starts only at its first digit (see _DOSE).
        r"x\s*\d+\s*units?|(?<![\d.,])\d+\s*units?|(?:one|two|three|four|five|six|seven|eight)\s+units?"
        r"|(?:timed|billable|billed)\s+units?|units?\s+(?:billed|of\s+(?:service|therapy))",
        "billing",
        "Counts billing units; units come from the timed minutes on the claim (the 8-minute rule).",
        "Record the minutes of each activity, e.g. 'strengthening 24 minutes, balance 15 minutes'.",
    ),
    ScopeTerm(
        "modifier",
        r"(?:gp|go|gn|kx|59|x[epsu]|cq|co)\s+modifiers?|modifiers?(?:\s+(?:gp|go|gn|kx|59|x[epsu]|cq|co))?",
        "billing",
        "Names a billing modifier; the GP modifier marks a service under a physical therapist's plan"
        " of care, which an MES's session never is.",
        "Leave modifiers to the claim; in the note, describe the session.",
    ),
    ScopeTerm(
        "billed",
        r"bill(?:ed|ing|able)|bills?\s+(?:as|for|under|insurance|medicare)",
        "billing",
        "Says how the session is billed; billing belongs on the claim, not in the clinical note.",
        "Leave billing to the claim; in the note, describe the session.",
    ),
)
