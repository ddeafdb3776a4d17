"""URLs of the steering area's improvements pages."""

urlpatterns = []
