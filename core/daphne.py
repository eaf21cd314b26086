"""daphne hands a request's body to Django unparsed: Django (and DRF) parse forms.

Twisted's `http.Request` parses a POSTed multipart/form-data body itself before daphne
sees the request, only to fill `request.args`, which daphne never reads. A body it cannot
parse (an empty multipart body, `--boundary--` alone) made Twisted answer a bare
`400 Bad Request` with no body and no Content-Type, before the application ran. With
Twisted's own form parsing off (its `parsePOSTFormSubmission` option), every such body
reaches Django, whose parsers refuse it with the API's JSON error.
"""
from daphne import http_protocol


class UnparsedFormWebRequest(http_protocol.WebRequest):
    """daphne's request, with Twisted's form parsing off."""

    def __init__(self, *args, **kwargs):
        kwargs["parsePOSTFormSubmission"] = False
        super().__init__(*args, **kwargs)


def install() -> None:
    """Make daphne's HTTP factory build UnparsedFormWebRequest (it names the class
    `WebRequest` in its module)."""
    http_protocol.WebRequest = UnparsedFormWebRequest
