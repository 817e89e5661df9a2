"""An audit witness receiver for tests: accepts what vigil POSTs to an
https:// (here http://, on 127.0.0.1) [audit] witness and appends each body to
a file, as an operator's witness service would keep it.

Usage: /usr/bin/python3 witness_receiver.py PORT FILE
Answers 201 to POST /, 404 to anything else. Standard library only.
"""
import http.server, sys

port, path = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/" or not body.startswith(b"vigil-audit-checkpoint v1 "):
            self.send_response(404)
            self.end_headers()
            return
        with open(path, "ab") as out:
            out.write(body)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
