"""The 0-10 effort scale sets are rated on (Borg CR-10, RPE), with the words of its anchors and their source."""

# Foster C et al. 2001, A new approach to monitoring exercise training, J Strength Cond Res
# 15(1):109-115: Borg's CR-10 with its anchors in American English ("strong" as "hard"), as used
# for session RPE (Day ML et al. 2004, J Strength Cond Res 18(2):353, table 1). Borg G 1998, Borg's
# Perceived Exertion and Pain Scales, is the scale itself. On it 7 is "very hard" and 10 "maximal";
# "very hard" is not 9-10 (issue 16), which lie between very hard and maximal.
CR10_SOURCE = (
    "Foster C et al. 2001, J Strength Cond Res 15(1):109 (Borg CR-10, American English anchors);"
    " Borg G 1998, Borg's Perceived Exertion and Pain Scales"
)

# Only the anchored points carry words; 6, 8 and 9 have none.
CR10_ANCHORS: dict[int, str] = {
    0: "rest",
    1: "very, very easy",
    2: "easy",
    3: "moderate",
    4: "somewhat hard",
    5: "hard",
    7: "very hard",
    10: "maximal",
}

# A set rated this high is near maximal: on the spot, it suggests the plan needs a change. The
# threshold is unchanged by issue 16; only the words for it were wrong.
NEAR_MAXIMAL_FROM = 9
