"""A chunked body (no Content-Length) over MAX_CONTENT_LENGTH is refused, not cut to the limit."""
import http.client
import io
import threading

import pytest
from werkzeug.serving import make_server

LIMIT = 64 * 1024


def chunked(client, path, body, content_type):
    # Werkzeug's test client computes a Content-Length; a real server passes none for chunked.
    return client.post(path, input_stream=io.BytesIO(body),
                       headers={"Transfer-Encoding": "chunked", "Content-Type": content_type},
                       environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})


@pytest.mark.parametrize("path, content_type", [
    ("/api/v1/check", "application/json"),
    ("/question/age", "application/x-www-form-urlencoded"),
    ("/embed/frame/question/age", "application/x-www-form-urlencoded"),
    ("/kiosk/question/age", "application/x-www-form-urlencoded"),
])
def test_chunked_body_over_the_limit_is_413(client, path, content_type):
    response = chunked(client, path, b"age=" + b"1" * LIMIT, content_type)
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response.json["error"]["code"] == "body_too_large"


def test_chunked_body_within_the_limit_is_read_whole(client):
    body = b'{"region": "230100", "answers": {"age": 8}}'
    response = chunked(client, "/api/v1/check", body.ljust(LIMIT, b" "), "application/json")
    assert response.status_code == 200 and response.json["region"]["code"] == "230100"


def test_chunked_body_just_over_the_limit_is_refused(client):
    body = b'{"region": "230100"}'
    assert chunked(client, "/api/v1/check", body.ljust(LIMIT + 1, b" "), "application/json").status_code == 413


def test_real_server_refuses_a_large_chunked_body(app):
    """Through an HTTP server that decodes chunked bodies (werkzeug's sets wsgi.input_terminated)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        def post(body):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("POST", "/api/v1/check", body=iter([body[i:i + 8192] for i in range(0, len(body), 8192)]),
                               headers={"Content-Type": "application/json"}, encode_chunked=True)
            response = connection.getresponse()
            status, data = response.status, response.read()
            connection.close()
            return status, data
        status, data = post(b'{"region": "230100", "pad": "' + b"x" * 100_000 + b'"}')
        assert status == 413 and b"body_too_large" in data
        status, _ = post(b'{"region": "230100"}')
        assert status == 200
    finally:
        server.shutdown()
        thread.join(5)
