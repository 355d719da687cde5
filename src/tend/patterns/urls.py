from django.urls import path

from tend.patterns import views

urlpatterns = [
    path("r/<int:relationship_id>/garden/", views.garden_page, name="relationship_garden"),
    path("me/patterns/", views.my_patterns, name="my_patterns"),
    path("me/patterns/sealed/", views.my_sealed_practices, name="my_sealed_practices"),
]
