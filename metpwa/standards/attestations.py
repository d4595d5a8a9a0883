"""What a signer attests to when signing a Plan of Exercise, in the practice's own words.

The words stay within an MES's scope (exercise to improve function; no plan of care, diagnosis or
treatment: metpwa.rules.scope_guard checks them in tests/unit/test_plan_signing.py). A signature
keeps the text it was given, so rewording this later never changes an earlier signature.
"""

# Sessions, assessments and reports are signed by the person who did the work; a plan is signed
# by the trainer or owner who stands behind it, who may not be the one who typed it.
PLAN_OF_EXERCISE = (
    "I have reviewed this Plan of Exercise, version {version}. It is the exercise program I "
    "will deliver or supervise to improve the client's function, within the scope of a Medical Exercise "
    "Specialist. I understand that signing locks this version: any change is made as a new version, "
    "signed again."
)
