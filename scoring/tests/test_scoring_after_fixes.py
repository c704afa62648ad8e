"""Sites per grade today and after the listed fixes: the proposal's chart reads these figures."""

from scoring_builders import BLANK, GOOD, site

from scoring import AssessmentInput, score_assessment
from scoring.after_fixes import grade_shift


def _estate():
    # One good site, one with no QoS and a proxy in the media path (graded below Ready),
    # one with too little known to grade.
    poor = site(name="Depot", qos="none", proxy="through", vpn="through", wifi="unmanaged")
    return score_assessment(AssessmentInput(sites=(GOOD, poor, BLANK)))


def test_the_fixes_lift_a_site_that_needs_work_to_ready_and_leave_the_unknown_one_not_assessed():
    result = _estate()
    depot = next(s for s in result.sites if s.site == "Depot")
    assert depot.network.grade != "ready"
    shift = grade_shift(result.sites)
    counts = {grade: (today, after) for grade, _label, today, after in shift.rows}
    assert counts["ready"] == (1, 2)
    assert counts["not_assessed"] == (1, 1)
    assert counts[depot.network.grade][0] - counts[depot.network.grade][1] == 1
    assert sum(today for *_r, today, _a in shift.rows) == 3
    assert sum(after for *_r, after in shift.rows) == 3
    [lift] = shift.lifts
    assert (lift.site, lift.today, lift.after) == ("Depot", depot.network.grade, "ready")
    # Each fix that lifts it is a finding at the site that cost points.
    lost = {f.code for f in depot.network.findings if f.points < 0}
    assert lift.fixes and set(lift.fixes) <= lost
    assert shift.complete


def test_a_stored_result_gives_the_same_figures_as_the_engine_and_an_old_one_keeps_todays_grade():
    result = _estate()
    stored = [s.to_dict() for s in result.sites]
    assert grade_shift(stored) == grade_shift(result.sites)
    # A result scored before projections existed: nothing claimed about after the fixes.
    for s in stored:
        s["network"].pop("projection")
    old = grade_shift(stored)
    assert not old.complete and not old.lifts
    assert all(today == after for *_r, today, after in old.rows)
