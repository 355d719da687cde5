from django.urls import path

from tend.plans import views

urlpatterns = [
    path("r/<int:relationship_id>/plan/", views.plan, name="relationship_plan"),
    path(
        "r/<int:relationship_id>/plan/<int:version_id>/answer/",
        views.answer,
        name="relationship_plan_answer",
    ),
    path("r/<int:relationship_id>/plan/not-now/", views.not_now, name="relationship_plan_not_now"),
    path("r/<int:relationship_id>/plan/panel/", views.panel, name="relationship_plan_panel"),
]
