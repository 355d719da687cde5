from django.urls import path

from tend.gardens import views
from tend.live.views import stream

urlpatterns = [
    path("home/", views.home, name="home"),
    path("r/new/", views.create, name="relationship_create"),
    path("r/<int:relationship_id>/", views.detail, name="relationship"),
    path("r/<int:relationship_id>/members/", views.members, name="relationship_members"),
    path("r/<int:relationship_id>/invitations/", views.invite, name="invitation_create"),
    path(
        "r/<int:relationship_id>/invitations/<int:invitation_id>/revoke/",
        views.revoke,
        name="invitation_revoke",
    ),
    path("r/<int:relationship_id>/leave/", views.leave, name="relationship_leave"),
    path("r/<int:relationship_id>/events/", stream, name="relationship_events"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
