"""The scope-of-practice guard flags diagnosis, treatment, medication and physical-therapy or billing
wording and leaves functional wording alone."""

import dataclasses
import time

import pytest
from scope_corpus import CLEAN, Note
from scope_corpus import FLAGGED as CORPUS_FLAGGED

from metpwa.rules.scope_guard import PracticeTerm, ScopeFlag, check, what_they_say
from metpwa.standards.scope_terms import (
    CATEGORIES,
    CATEGORY_LABELS,
    CATEGORY_LABELS_MANY,
    CATEGORY_REASONS,
    CATEGORY_SUGGESTIONS,
    DEFAULT_TERMS,
)

# (text, default term key, the words flagged). Every default key appears at least once.
FLAGGED = [
    ("Client was diagnosed with a meniscus injury", "diagnose", "diagnosed"),
    ("Dx: knee pain", "diagnose", "Dx"),
    ("Partial tear of the ACL", "tear", "tear"),
    ("Suspect rotator cuff tear on the right", "rotator cuff tear", "rotator cuff tear"),
    ("Has a torn rotator cuff", "rotator cuff tear", "torn rotator cuff"),
    ("Likely tendinitis at the elbow", "tendinitis", "tendinitis"),
    ("Patellar tendonitis", "tendinitis", "tendonitis"),
    ("Hip bursitis flares after walking", "bursitis", "bursitis"),
    ("History of plantar fasciitis", "plantar fasciitis", "plantar fasciitis"),
    ("Tennis elbow on the right", "epicondylitis", "Tennis elbow"),
    ("Knee osteoarthritis limits squatting", "arthritis", "osteoarthritis"),
    ("Bilateral knee OA", "arthritis", "OA"),
    ("Degenerative disc disease at L4-5", "degenerative disc disease", "Degenerative disc disease"),
    ("Sprained ankle last spring", "sprain", "Sprained"),
    ("Hamstring strain during the session", "strain", "strain"),
    ("Pulled a muscle lifting groceries", "pulled muscle", "Pulled a muscle"),
    ("Herniated disc at L5", "herniated disc", "Herniated"),
    ("Shoulder impingement with overhead reach", "impingement", "impingement"),
    ("Sciatica down the left leg", "sciatica", "Sciatica"),
    ("Cervical radiculopathy", "radiculopathy", "radiculopathy"),
    ("Peripheral neuropathy in both feet", "neuropathy", "Peripheral neuropathy"),
    ("Lumbar stenosis", "stenosis", "stenosis"),
    ("Spondylolisthesis at L5", "spondylosis", "Spondylolisthesis"),
    ("Mild scoliosis", "scoliosis", "scoliosis"),
    ("Frozen shoulder on the left", "frozen shoulder", "Frozen shoulder"),
    ("Healed hip fracture", "fracture", "fracture"),
    ("Shoulder dislocation in 2019", "dislocation", "dislocation"),
    ("Carpal tunnel in the right hand", "carpal tunnel syndrome", "Carpal tunnel"),
    ("Patellofemoral pain syndrome", "syndrome", "syndrome"),
    ("Knee looks inflamed", "inflammation", "inflamed"),
    ("Chondromalacia patellae", "chondromalacia", "Chondromalacia"),
    ("Shin splints after running", "shin splints", "Shin splints"),
    ("Runner's knee on the left", "runner's knee", "Runner's knee"),
    ("Whiplash from a car accident", "whiplash", "Whiplash"),
    ("Possible concussion after the fall", "concussion", "concussion"),
    ("No lesion found", "lesion", "lesion"),
    ("Shoulder pathology", "pathology", "pathology"),
    ("Session to treat the knee", "treat", "treat"),
    ("This will cure the stiffness", "cure", "cure"),
    ("Rehab the injury", "rehab", "Rehab"),
    ("Therapy today went well", "therapy", "Therapy"),
    ("Physical therapy session 4", "physical therapy", "Physical therapy"),
    ("Manual therapy to the calf", "manual therapy", "Manual therapy"),
    ("Mobilization of the joint for 5 minutes", "mobilization of the joint", "Mobilization of the joint"),
    ("Spinal manipulation is not offered", "spinal manipulation", "Spinal manipulation"),
    ("TENS for 15 minutes", "passive modality", "TENS"),
    ("Prescribe ibuprofen", "prescribe", "Prescribe"),
    ("Takes ibuprofen before sessions", "ibuprofen", "ibuprofen"),
    ("Took Tylenol this morning", "acetaminophen", "Tylenol"),
    ("Uses an NSAID gel", "NSAID", "NSAID"),
    ("On opioids after surgery", "opioid", "opioids"),
    ("Had a cortisone shot last month", "cortisone", "cortisone shot"),
    ("Taking a muscle relaxant at night", "muscle relaxant", "muscle relaxant"),
    ("Started gabapentin", "gabapentin", "gabapentin"),
    ("Knee injection in May", "injection", "injection"),
    ("Took a pill before the session", "pill", "pill"),
    ("Took 400 mg this morning", "dose", "400 mg"),
    ("Naproxen bid", "dosing abbreviation", "bid"),
    ("Naproxen 220 mg twice daily", "dosing schedule", "twice daily"),
    # Medical (non-musculoskeletal) conditions (issue 16).
    ("Orthostatic hypotension on standing", "blood pressure condition", "Orthostatic hypotension"),
    ("Heart failure limits the walk", "heart or lung condition", "Heart failure"),
    ("History of Parkinson's disease", "neurological condition", "Parkinson's disease"),
    ("Osteoporosis in the spine", "metabolic or bone condition", "Osteoporosis"),
    # PT-only modalities (issue 16; FSBPT Model Practice Act).
    ("Hot pack to the back", "thermal modality", "Hot pack"),
    ("KT tape on the shoulder", "taping", "KT tape"),
    ("Graston to the forearm", "soft-tissue technique", "Graston"),
    ("Lumbar traction", "traction", "Lumbar traction"),
    # Physical-therapy and billing language (issue 16; standards.md: 97161-97164 and GP are PT only).
    ("Initial evaluation today", "evaluation", "evaluation"),
    ("Prognosis fair", "prognosis", "Prognosis"),
    ("Skilled therapeutic exercise", "skilled service", "Skilled therapeutic exercise"),
    ("POC updated", "plan of care", "POC"),
    ("Continue PT", "PT", "PT"),
    ("Billed 97110", "CPT or HCPCS code", "97110"),
    ("97110 x2 units", "billing units", "x2 units"),
    ("GP modifier added", "modifier", "GP modifier"),
    ("Eval billed today", "billed", "billed"),
]

NOT_FLAGGED = [
    "Knee flexion 95 degrees, difficulty with stairs",
    "Tolerated well",
    "Reports pain 4/10 on stairs",
    "Tears up when talking about her late husband",
    "Was in tears at the start of the session",
    "Wear and tear, she says",
    "Treadmill walking 10 minutes",
    "Back from a weekend retreat",
    "Strain gauge reading 12 kg",
    "Exhale on the effort, without straining",
    "Exercise prescription reviewed with the client",
    "Prescribed exercises completed: 3 sets of 10",
    "Completed all exercises as prescribed",
    "Prescription of exercise updated for week 3",
    "Therapeutic exercise 23 minutes",
    "Red therapy band for rows",
    "Post-rehab program, week 2",
    "Walks twice daily with her dog",
    "ML sway increased with eyes closed",
    "Goblet squat with a 5 kg kettlebell",
    "Blood pressure 128/82 mmHg before exercise",
    "Secure the band to the door anchor",
    "Hit tens of reps without losing form",
    "Rotator cuff strengthening with a band",
    "Tandem stance 8 s; could not hold 10 s",
    "Shoulder flexion 110 degrees, reaching overhead limited",
    "Sit-to-stand 9 in 30 s using arms",
    "",
]


def terms(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(flag.term, flag.matched) for flag in check(text, **kwargs)]


@pytest.mark.parametrize(("text", "term", "matched"), FLAGGED)
def test_flags_out_of_scope_wording(text, term, matched):
    assert (term, matched) in terms(text)


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_leaves_functional_wording_alone(text):
    assert check(text) == []


def test_every_default_term_has_a_flagged_example():
    assert {term for _, term, _ in FLAGGED} == {term.key for term in DEFAULT_TERMS}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("diagnose", "diagnose"),
        ("diagnoses", "diagnose"),
        ("diagnosing", "diagnose"),
        ("diagnosis", "diagnose"),
        ("DIAGNOSED", "diagnose"),
        ("treats", "treat"),
        ("treated", "treat"),
        ("treating", "treat"),
        ("treatment", "treat"),
        ("treatments", "treat"),
        ("sprains", "sprain"),
        ("tears", "tear"),
        ("torn", "tear"),
        ("tore", "tear"),
        ("prescribed", "prescribe"),
        ("prescribing", "prescribe"),
        ("prescription", "prescribe"),
        ("tendinopathy", "tendinitis"),
        ("fractured", "fracture"),
        ("impinged", "impingement"),
        ("rehabilitation", "rehab"),
        ("therapies", "therapy"),
        ("Ibuprofen", "ibuprofen"),
        ("steroids", "cortisone"),
        ("calf strains", "strain"),
        ("strained her back", "pulled muscle"),
    ],
)
def test_inflections_and_case(text, term):
    assert [flag.term for flag in check(text)] == [term]


@pytest.mark.parametrize("text", ["retreat", "treadmill", "secure", "manicure", "diagnostician's"])
def test_only_whole_words(text):
    assert check(text) == []


def test_offsets_point_into_the_text():
    text = "Left knee: torn meniscus. Client takes Ibuprofen 400 mg twice daily."
    flags = check(text)
    assert [(flag.start, flag.end) for flag in flags] == [(11, 15), (39, 48), (49, 55), (56, 67)]
    assert [text[flag.start : flag.end] for flag in flags] == [flag.matched for flag in flags]
    assert [flag.category for flag in flags] == ["diagnosis", "medication", "medication", "medication"]


def test_flags_carry_reason_and_suggestion():
    (flag,) = check("Suspected tendinitis")
    assert flag == ScopeFlag(
        term="tendinitis",
        category="diagnosis",
        start=10,
        end=20,
        matched="tendinitis",
        reason=flag.reason,
        suggestion=flag.suggestion,
    )
    assert flag.reason and flag.suggestion
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.start = 0  # type: ignore[misc]


def test_quoted_client_words_are_still_flagged():
    assert terms('Client said "my rotator cuff is torn, it\'s bursitis"') == [
        ("tear", "torn"),
        ("bursitis", "bursitis"),
    ]


def test_the_longest_overlapping_term_wins():
    assert terms("rotator cuff tear; physical therapy; anti-inflammatory") == [
        ("rotator cuff tear", "rotator cuff tear"),
        ("physical therapy", "physical therapy"),
        ("NSAID", "anti-inflammatory"),
    ]


def test_crying_is_not_a_tear_but_an_injury_is():
    assert check("Tears up when talking about her late husband") == []
    assert check("Tearing up during intake; tears in her eyes") == []
    assert terms("She tears up easily. Rotator cuff tear per client.") == [
        ("rotator cuff tear", "Rotator cuff tear")
    ]


def test_exercise_prescription_is_the_field_language_but_medication_is_not():
    assert check("Exercise prescription: bridges, prescribed 3 sets of 10") == []
    assert terms("Doctor prescribed ibuprofen") == [("prescribe", "prescribed"), ("ibuprofen", "ibuprofen")]
    assert terms("Prescribed a knee brace and rest") == [("prescribe", "Prescribed")]


@pytest.mark.parametrize("dose", ["400 mg", "10mg", "5 ml", "2.5 mg", "10 milligrams", "250 mcg", "5 ML"])
def test_doses_are_medication(dose):
    flags = check(f"Takes {dose} in the morning")
    assert [(flag.term, flag.matched, flag.category) for flag in flags] == [("dose", dose, "medication")]


def test_bare_units_flag_only_in_lower_case():
    assert terms("dose in mg") == [("dose", "mg")]
    assert check("ML sway; MG 5") == []


def test_a_schedule_flags_only_after_a_drug_or_dose():
    assert terms("Ibuprofen as needed") == [("ibuprofen", "Ibuprofen"), ("dosing schedule", "as needed")]
    assert check("Walks 20 minutes twice daily; stretches as needed") == []


def test_practice_terms_are_matched_literally():
    added = [PracticeTerm("c++", "diagnosis"), PracticeTerm("(L) knee", "diagnosis")]
    assert terms("c++ and (L) knee", added_terms=added) == [("c++", "c++"), ("(L) knee", "(L) knee")]
    assert check("c and c+ and L knee and cc++", added_terms=added) == []


@pytest.mark.parametrize("phrase", [".*", "a|b", "[x]", "x{2}", "\\d", "(?i)"])
def test_practice_phrases_are_never_regular_expressions(phrase):
    added = [PracticeTerm(phrase, "diagnosis")]
    assert check("plain words only: ab xx 12", added_terms=added) == []
    assert terms(f"odd {phrase} here", added_terms=added) == [(phrase, phrase)]


def test_practice_terms_are_whole_words_any_case_plural_and_any_spacing():
    added = [PracticeTerm("bunion", "diagnosis"), PracticeTerm("wear and tear", "diagnosis")]
    assert terms("Bunions on both feet; WEAR  AND\ntear", added_terms=added) == [
        ("bunion", "Bunions"),
        ("wear and tear", "WEAR  AND\ntear"),
    ]
    assert check("bunionette", added_terms=added) == []


def test_practice_terms_take_their_category_defaults_unless_given():
    (plain,) = check("lumbago", added_terms=[PracticeTerm("lumbago", "diagnosis")])
    assert plain.category == "diagnosis" and plain.reason and plain.suggestion
    (own,) = check(
        "arnica",
        added_terms=[PracticeTerm("arnica", "medication", reason="A remedy.", suggestion="Leave it out.")],
    )
    assert (own.category, own.reason, own.suggestion) == ("medication", "A remedy.", "Leave it out.")


@pytest.mark.parametrize(("phrase", "category"), [("", "diagnosis"), ("   ", "treatment"), ("x", "coding")])
def test_practice_terms_are_checked_when_made(phrase, category):
    with pytest.raises(ValueError):
        PracticeTerm(phrase, category)


def test_removed_defaults_no_longer_flag():
    assert check("torn meniscus", removed_terms=["tear"]) == []
    # The longer entry is its own term and stays until it is removed too.
    assert terms("rotator cuff tear", removed_terms=["tear"]) == [("rotator cuff tear", "rotator cuff tear")]
    assert check("rotator cuff tear", removed_terms=["tear", "rotator cuff tear"]) == []
    assert check("NSAID", removed_terms=[" nsaid "]) == []
    assert terms("NSAID", removed_terms=["no such term"]) == [("NSAID", "NSAID")]


@pytest.mark.parametrize("note", CLEAN, ids=lambda note: note.why)
def test_corpus_notes_that_describe_function_pass_clean(note: Note):
    """Realistic notes a trainer writes daily, including the false positives of issue 16."""
    assert [(flag.term, flag.matched) for flag in check(note.text)] == []


@pytest.mark.parametrize("note", CORPUS_FLAGGED, ids=lambda note: note.why)
def test_corpus_notes_out_of_scope_are_flagged_with_their_terms(note: Note):
    """Each out-of-scope note flags exactly the terms it is listed with: no fewer, no others."""
    assert {flag.term for flag in check(note.text)} == note.terms


def test_the_corpus_is_large_and_balanced():
    assert len(CLEAN) + len(CORPUS_FLAGGED) >= 80
    assert min(len(CLEAN), len(CORPUS_FLAGGED)) >= 40
    assert all(note.terms and note.why for note in CORPUS_FLAGGED)
    assert all(not note.terms and note.why for note in CLEAN)
    assert {term for note in CORPUS_FLAGGED for term in note.terms} <= {term.key for term in DEFAULT_TERMS}


def test_the_issue_16_billing_note_names_each_billing_word_with_a_compliant_alternative():
    """Issue 16's example: a PT evaluation billed with CPT codes, units and the GP modifier (standards.md:
    97161-97164 and the GP modifier are for physical therapists only)."""
    text = "Initial evaluation ... Plan of care: 97110 x2 units ... GP modifier. Eval billed 97162"
    flags = check(text)
    assert [flag.matched for flag in flags] == [
        "evaluation", "Plan of care", "97110", "x2 units", "GP modifier", "Eval", "billed", "97162",
    ]
    assert {flag.category for flag in flags} == {"billing"}
    assert all(flag.reason and flag.suggestion for flag in flags)
    (plan,) = [flag for flag in flags if flag.term == "plan of care"]
    assert "Plan of Exercise" in plan.suggestion


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("drank 500 ml of water", "dose"),
        ("treated herself to new shoes", "treat"),
        ("tear-off sheet", "tear"),
        ("strained the band", "pulled muscle"),
        ("pill organizer", "pill"),
        ("no diagnosis made", "diagnose"),
    ],
)
def test_issue_16_false_positives_are_gone_but_the_term_still_flags_elsewhere(text, term):
    assert check(text) == []
    still = {"dose": "took 500 ml", "treat": "treated the knee", "tear": "a small tear",
             "pulled muscle": "strained her calf", "pill": "took a pill", "diagnose": "diagnosed with gout"}[term]
    assert term in [flag.term for flag in check(still)]


def test_a_drink_before_a_schedule_is_not_a_dosing_schedule():
    assert check("Drinks 500 ml of water twice a day") == []
    assert [flag.term for flag in check("Takes 500 mg twice a day")] == ["dose", "dosing schedule"]


def test_pt_flags_only_in_upper_case_because_pt_is_also_patient():
    assert [flag.matched for flag in check("PT 2x/week; P.T. eval")] == ["PT", "P.T.", "eval"]
    assert check("Pt tolerated well; pt reports 2/10") == []


def test_every_category_has_a_label_reason_and_suggestion():
    for labels in (CATEGORY_LABELS, CATEGORY_LABELS_MANY, CATEGORY_REASONS, CATEGORY_SUGGESTIONS):
        assert set(labels) == set(CATEGORIES)
        assert all(labels.values())


def test_default_table_is_well_formed():
    keys = [term.key.casefold() for term in DEFAULT_TERMS]
    assert len(keys) == len(set(keys))
    for term in DEFAULT_TERMS:
        assert term.category in CATEGORIES
        assert term.reason and term.suggestion
        # The guard matches patterns against lower-cased text.
        for pattern in (term.pattern, term.after, *term.except_in):
            assert pattern == pattern.lower()


NOTE = (
    "Client arrived on time and reports pain 4/10 on stairs, 2/10 at rest. Knee flexion 95 degrees"
    " on the right and 120 degrees on the left, difficulty with stairs and getting out of a low car."
    " Sit-to-stand 9 in 30 s using the arms; TUG 13.1 s with a cane, turning en bloc. Tandem stance"
    " held 6 s. Session: bridges 3 x 10, clamshells with a red band 3 x 12, step-ups on a 15 cm step"
    " 2 x 8 each side, heel raises 3 x 12, side stepping along the counter, treadmill walking 8"
    " minutes at 2.5 km/h. Tolerated well; RPE 5 of 10. She teared up talking about her husband. "
)


@pytest.mark.parametrize(
    "text",
    [
        (NOTE * 6)[:2000],
        ("Dx tendinitis; prescribe ibuprofen 400 mg twice daily. Rotator cuff tear. " * 30)[:2000],
        "a" * 2000,
        "1" * 2000,
        ("tear " * 400)[:2000],
        ("ibuprofen " + "x " * 19) * 40,
        " " * 2000,
    ],
)
def test_a_2000_character_note_is_checked_quickly(text):
    """A guard against a catastrophic pattern, not a benchmark. A pattern that backtracks badly takes
    100 times longer (or worse) on ten times the text; a linear check about 10 times. The time is
    judged against the same check of a tenth of the note in the same moment, so a busy machine slows
    both alike; well under 20 ms passes outright."""

    def best_of_five(note):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            check(note)
            runs.append(time.perf_counter() - started)
        return min(runs)

    whole, tenth = best_of_five(text), best_of_five(text[: len(text) // 10])
    assert whole < 0.020 or whole < 40 * tenth, f"{whole * 1000:.1f} ms for the note, {tenth * 1000:.2f} ms for a tenth"


def test_the_field_message_says_what_each_kind_of_flagged_word_does():
    # A diagnosis word first and treatment words after: each kind is named for what it is, in the
    # order the trainer wrote them, and more than one word takes the plural.
    flags = check("Client diagnosed with knee pain; rehab going well, treatment continues.")
    assert what_they_say(flags) == "“diagnosed” names a diagnosis; “rehab”, “treatment” describe treating a condition"
    assert what_they_say(check("Rehab, rehab and more rehab.")) == "“Rehab” describes treating a condition"
