from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form, or None on GET.

    Not `request.POST or None`: that treats an empty POST as no submission, giving an
    unbound form that answers 400 without saying what is missing.
    """
    return request.POST if request.method == "POST" else None
