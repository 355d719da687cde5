from django.urls import include, path

from tend.repairs.views import (
    acknowledge,
    calendar,
    commitments,
    go,
    legacy,
    overview,
    personal,
    reengagement,
    relationship,
    screen,
    sealed_export,
    walk,
)

repair_patterns = [
    path("", overview.detail, name="repair"),
    path("join/", overview.join, name="repair_join"),
    path("not-yet/", overview.not_yet, name="repair_not_yet"),
    path("pause/", overview.pause, name="repair_pause"),
    path("resume/", overview.resume, name="repair_resume"),
    path("close/", overview.close, name="repair_close"),
    path("quick/", go.quick, name="repair_quick"),
    # Step 1
    path("notice/", acknowledge.notice, name="repair_acknowledge"),
    path("voice/", acknowledge.voice, name="repair_voice"),
    path("voice/not-now/", acknowledge.skip_voice, name="repair_skip_voice"),
    path("needs/", acknowledge.needs, name="repair_needs"),
    path(
        "needs/<int:need_id>/acknowledge/",
        acknowledge.acknowledge_need,
        name="repair_acknowledge_need",
    ),
    path("plan/", acknowledge.propose_plan, name="repair_plan"),
    path("plan/<int:plan_id>/accept/", acknowledge.accept_plan, name="repair_accept_plan"),
    path("plans/<int:plan_id>/calendar.ics", calendar.plan_calendar, name="plan_calendar"),
    # Steps 2-4
    path("stabilize/", personal.stabilize, name="repair_stabilize"),
    path("stabilize/<slug:key>/", personal.practice, name="repair_practice"),
    path(
        "stabilize/sessions/<int:session_id>/done/",
        personal.practice_done,
        name="repair_practice_done",
    ),
    path("honor/", personal.honor, name="repair_honor"),
    path("honor/markers/", personal.marks, name="repair_marks"),
    path("reflect/", personal.reflect, name="repair_reflect"),
    path("reflect/readiness/", personal.readiness, name="repair_readiness"),
    path("ready/", personal.ready, name="repair_ready"),
    path("answers/<str:key>/", personal.save_entry, name="repair_entry"),
    # Step 5
    path("together/", reengagement.stage, name="repair_stage"),
    path("together/<slug:name>/", reengagement.move, name="repair_move"),
    path("one-screen/", screen.one_screen, name="repair_one_screen"),
    path("one-screen/leave/", screen.leave_one_screen, name="repair_leave_one_screen"),
]

commitment_patterns = [
    path("", commitments.edit_commitment, name="commitment_edit"),
    path("suggest/", commitments.suggest_change, name="commitment_suggest"),
    path("check-in/", commitments.check_in, name="commitment_check_in"),
    path("next/", commitments.next_review, name="commitment_next"),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        commitments.accept_suggestion,
        name="commitment_suggestion_accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/decline/",
        commitments.decline_suggestion,
        name="commitment_suggestion_decline",
    ),
    path(
        "suggestions/<int:suggestion_id>/withdraw/",
        commitments.withdraw_suggestion,
        name="commitment_suggestion_withdraw",
    ),
]

urlpatterns = [
    # The app's shortcuts (static/tend/manifest.webmanifest) and the home page's buttons.
    path("go/<slug:opening>/", go.go, name="repair_go"),
    path("walk/", walk.walk, name="walk"),
    # A person's own private data from before end-to-end encryption, sealed on their device.
    path("me/private/legacy/", legacy.legacy, name="private_legacy"),
    # The download of one's own sealed notes, made on the device.
    path("me/private/", sealed_export.sealed_export, name="private_export"),
    path(
        "r/<int:relationship_id>/repair/", relationship.repair_callout, name="relationship_repair"
    ),
    path(
        "r/<int:relationship_id>/commitments/",
        commitments.relationship_commitments,
        name="relationship_commitments",
    ),
    path(
        "r/<int:relationship_id>/commitments/<int:commitment_id>/",
        include(commitment_patterns),
    ),
    path("r/<int:relationship_id>/repairs/open/", overview.open_repair, name="repair_open"),
    path("r/<int:relationship_id>/repairs/<int:repair_id>/", include(repair_patterns)),
]
