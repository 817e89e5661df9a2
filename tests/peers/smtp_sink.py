"""aiosmtpd handler for tests: saves each message as a file, can be told to fail.

Usage: PYTHONPATH=DIR /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_sink.Sink OUTDIR
Reply control (checked per message, so a test can flip it while running):
  OUTDIR/.reply file, or env SINK_REPLY, e.g. "451 4.3.0 Try again later" or
  "550 5.1.1 No such user"; empty/absent = accept with 250.
  SINK_REPLY_AT=rcpt makes the reply come at RCPT TO instead of after DATA.
  OUTDIR/.delay holds milliseconds to wait before answering DATA.
Each EHLO (one per SMTP session) adds a line to OUTDIR/.sessions, so a test
can tell whether messages shared a connection.
"""
import asyncio, os, time, itertools

class Sink:
    _seq = itertools.count()

    def __init__(self, outdir):
        self.outdir = outdir
        os.makedirs(outdir, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Sink needs exactly one argument: the output directory")
        return cls(args[0])

    def _reply(self):
        try:
            with open(os.path.join(self.outdir, ".reply")) as f:
                r = f.read().strip()
        except FileNotFoundError:
            r = os.environ.get("SINK_REPLY", "").strip()
        return r or None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with open(os.path.join(self.outdir, ".sessions"), "a") as f:
            f.write(hostname + "\n")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        r = self._reply()
        if r and os.environ.get("SINK_REPLY_AT") == "rcpt":
            return r
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        # OUTDIR/.delay holds milliseconds to wait before answering (a slow server).
        try:
            with open(os.path.join(self.outdir, ".delay")) as f:
                await asyncio.sleep(float(f.read().strip() or 0) / 1000.0)
        except FileNotFoundError:
            pass
        r = self._reply()
        if r:
            return r
        name = "%d.%06d.eml" % (time.time_ns(), next(self._seq))
        tmp = os.path.join(self.outdir, "." + name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n"
                     % (envelope.mail_from, ", ".join(envelope.rcpt_tos))).encode())
            f.write(envelope.original_content)   # raw bytes as received (dot-unstuffed)
        os.rename(tmp, os.path.join(self.outdir, name))   # atomic: readers never see partial files
        return "250 2.0.0 OK queued as " + name
