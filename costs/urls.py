"""URL routes of the price book."""

from django.urls import path

from costs import views

app_name = "costs"

urlpatterns = [
    path("price-book/", views.price_book, name="price-book"),
    path("price-book/history/", views.price_book_history, name="price-book-history"),
]
