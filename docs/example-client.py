#!/usr/bin/env python3
# ILLUSTRATIVE ONLY: a minimal leamon client (pyzmq + msgpack), not a supported tool.
import os, time
import msgpack, zmq
from zmq.utils.monitor import recv_monitor_message

def read_key(path):
    """Key file: '#' comments and blank lines, plus one line of 40 Z85 characters."""
    keys = [l.strip() for l in open(path) if l.strip() and not l.strip().startswith("#")]
    if len(keys) != 1 or len(keys[0]) != 40:
        raise ValueError(path + ": not a leamon key file")
    return keys[0].encode("ascii")

class Refused(Exception): pass      # handshake refused: retrying will not help
class Unreachable(Exception): pass  # no reply after every retry

class Client:
    def __init__(self, endpoint, server_key=None, public_key=None, secret_key=None,
                 timeout_ms=5000, retries=3):
        self.ctx = zmq.Context.instance()
        self.endpoint, self.timeout_ms, self.retries = endpoint, timeout_ms, retries
        self.keys = (server_key, public_key, secret_key) if server_key else None

    def _open(self):
        s = self.ctx.socket(zmq.DEALER)
        s.linger = 0
        if self.keys:   # CURVE: the daemon's public key, then our own pair
            s.curve_serverkey, s.curve_publickey, s.curve_secretkey = self.keys
        mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH |
                                   zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL)
        s.connect(self.endpoint)
        return s, mon

    def call(self, request):
        """Send one request; return the reply map. Every attempt sends the same bytes."""
        frame = msgpack.packb(request, use_bin_type=True)
        backoff = 0.25
        for attempt in range(self.retries + 1):
            s, mon = self._open()          # Lazy Pirate: a fresh socket per attempt
            reply = None
            try:
                s.send(frame)
                poller = zmq.Poller()
                poller.register(s, zmq.POLLIN)
                poller.register(mon, zmq.POLLIN)
                deadline = time.monotonic() + self.timeout_ms / 1000
                while reply is None and time.monotonic() < deadline:
                    ready = dict(poller.poll((deadline - time.monotonic()) * 1000))
                    if mon in ready:
                        ev = recv_monitor_message(mon)
                        raise Refused("handshake failed: event %#x, value %#x"
                                      % (ev["event"], ev["value"]))
                    if s in ready:
                        r = msgpack.unpackb(s.recv(), raw=False)
                        # "" when the daemon could not read our id (400/413)
                        if r.get("id") in (request["id"], ""):
                            reply = r
            finally:
                s.disable_monitor()
                mon.close()
                s.close()
            if reply is not None and (reply["status"] < 500 or attempt == self.retries):
                return reply
            pause = reply.get("retry_after_ms", 0) / 1000 if reply else 0
            time.sleep(max(pause, backoff))
            backoff = min(backoff * 2, 4.0)
        raise Unreachable("no reply from " + self.endpoint)

if __name__ == "__main__":
    endpoint = os.environ.get("LEAMON_ENDPOINT", "tcp://127.0.0.1:7710")
    if os.environ.get("LEAMON_SERVER_KEY"):          # production: CURVE
        client = Client(endpoint, read_key(os.environ["LEAMON_SERVER_KEY"]),
                        read_key(os.environ["LEAMON_PUBLIC_KEY"]),
                        read_key(os.environ["LEAMON_SECRET_KEY"]))
        me = {}
    else:                                            # insecure development daemon
        client = Client(endpoint)
        me = {"reporter": "ko-zonnebloem"}
    print(client.call({"v": 1, "op": "ping", "id": os.urandom(16).hex(), **me}))
    reply = client.call({"v": 1, "op": "submit", "id": "ko-zonnebloem-2026-10", **me,
                         "records": [
                             {"metric": "vve.peuters.geplaatst", "period": "2026-10", "value": 42},
                             {"metric": "vve.uren.per_week", "area": "WK016402",
                              "period": "2026-10", "value": 16.5}]})
    for e in reply.get("errors", []):
        print("record %(index)d, %(field)s: %(message)s (%(code)s)" % e)
    print(reply["status"], reply.get("error", "stored" if not reply.get("duplicate") else "already stored"))
