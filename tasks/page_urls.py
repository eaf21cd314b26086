from django.contrib.auth import views as auth_views
from django.urls import path

from core.throttling import login_throttled
from tasks import pages

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("tasks/<str:task_id>/", pages.task_page, name="task-page"),
    path("upload/", pages.upload_page, name="upload-page"),
    path("analyze/", pages.analyze_page, name="analyze-page"),
    path("login/", login_throttled(auth_views.LoginView.as_view(
        template_name="pages/login.html", redirect_authenticated_user=True, next_page="dashboard",
    )), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
]
