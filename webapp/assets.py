"""Stylesheets and scripts served minified (rjsmin, rcssmin), so that a page with its CSS and
JS stays within the 30 KB budget; the files in static/ keep their comments for the next
engineer. Public content, the same for everyone: minified once per process."""
import hashlib
import mimetypes
import os

import rcssmin
import rjsmin
from flask import Response, current_app, request, send_from_directory

MINIFY = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}


def init_app(app):
    cache = {}

    def static(filename):
        minify = MINIFY.get(os.path.splitext(filename)[1])
        if minify is None:
            return send_from_directory(app.static_folder, filename, max_age=app.get_send_file_max_age(filename))
        if filename not in cache:
            response = send_from_directory(app.static_folder, filename)   # refuses paths outside static/
            response.direct_passthrough = False
            body = minify(response.get_data(as_text=True)).encode("utf-8")
            cache[filename] = (body, hashlib.sha256(body).hexdigest()[:32])
        body, etag = cache[filename]
        out = Response(body, mimetype=mimetypes.guess_type(filename)[0])
        out.set_etag(etag)
        max_age = current_app.get_send_file_max_age(filename)
        if max_age is not None:
            out.cache_control.max_age = max_age
            out.cache_control.public = True
        # The gzip layer weakens the ETag; a weak match still revalidates (304).
        if request.if_none_match.contains_weak(etag):
            return Response(status=304, headers={"ETag": out.headers["ETag"]})
        return out

    app.view_functions["static"] = static
