from django.urls import path

from tend.history import views

record_patterns = "r/<int:relationship_id>/history/<int:repair_id>/"

urlpatterns = [
    path("r/<int:relationship_id>/history/", views.history, name="history"),
    path("r/<int:relationship_id>/history/panel/", views.history_panel, name="history_panel"),
    path(record_patterns, views.record, name="history_record"),
    path(f"{record_patterns}learned/", views.note, name="history_note"),
    path(f"{record_patterns}theme/", views.theme, name="history_theme"),
    path(
        f"{record_patterns}theme/<int:theme_id>/agree/",
        views.theme_agree,
        name="history_theme_agree",
    ),
    path(f"{record_patterns}share/", views.share, name="history_share"),
    path(f"{record_patterns}share/withdraw/", views.share_withdraw, name="history_share_withdraw"),
]
