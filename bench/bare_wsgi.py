"""The floor under a posted idea: a bare WSGI app served by the same gunicorn (gunicorn.conf.py)
as the real one. It reads each request's whole body and answers a POST as the public form
does (303 to a receipt page), a GET with a small page. What the app costs beyond it is the
app's own work: forms, database, templates.

    gunicorn --config gunicorn.conf.py bench.bare_wsgi:app
"""

_PAGE = b"<!doctype html><title>ok</title><p>ok</p>"


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    if environ["REQUEST_METHOD"] == "POST":
        start_response(
            "303 See Other", [("Location", "/e/bare/receipt/BAR-2345"), ("Content-Length", "0")]
        )
        return [b""]
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(_PAGE)))])
    return [_PAGE]
