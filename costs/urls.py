"""URL routes of the price book."""

from django.urls import path

from costs import views

app_name = "costs"

urlpatterns = [
    path("organisation/prices/", views.price_book, name="price-book"),
    path("organisation/prices/history/", views.price_book_history, name="price-book-history"),
]
