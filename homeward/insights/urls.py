from django.urls import path

from homeward.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("national-figures.csv", views.national_csv, name="national-csv"),
    path("board/", views.board_list, name="board"),
    path("board/<int:year>/q<int:quarter>/", views.board_report, name="board-report"),
    path(
        "board/<int:year>/q<int:quarter>/report.pdf",
        views.board_report_download,
        name="board-report-pdf",
    ),
    path("board/stored/<int:pk>.pdf", views.stored_report, name="stored-report"),
]
