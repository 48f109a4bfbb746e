from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("account/declarations/<int:pk>/conversation/", views.thread, name="thread"),
    path("account/declarations/<int:pk>/conversation/reveal/", views.reveal_view, name="reveal"),
    path("account/messages/<int:pk>/withdraw/", views.withdraw_view, name="message-withdraw"),
    path("account/messages/<int:pk>/hide/", views.hide_view, name="message-hide"),
    path("account/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("account/needs/<int:pk>/documents/", views.need_documents_view, name="need-documents"),
    path("account/documents/<int:pk>/", views.need_document_download, name="need-document"),
]
