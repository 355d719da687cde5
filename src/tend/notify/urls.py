from django.urls import path

from tend.notify import views

urlpatterns = [
    path("notifications/", views.index, name="notifications"),
    path("notifications/nav/", views.nav_link, name="notification_nav"),
    path("notifications/seen/", views.seen, name="notifications_seen"),
    path("notifications/<int:notification_id>/", views.open_one, name="notification_open"),
    path("notifications/settings/", views.preferences, name="notify_preferences"),
    path("notifications/test/", views.send_test, name="notify_test"),
    path("notifications/push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("notifications/push/unsubscribe/", views.push_unsubscribe, name="push_unsubscribe"),
    path("sw.js", views.service_worker, name="service_worker"),
]
