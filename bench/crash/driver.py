#!/usr/bin/env python3
"""The crash test's driver (Python 3 standard library only), started by bench/crash.sh.

It owns the server process: starts it, runs money traffic from many threads, kills it with SIGKILL
at a random moment, restarts it, and repeats for --cycles cycles. The traffic, per buyer flow:

  checkout (idempotency key) -> pay_with_sandbox -> ship_order (seller) -> confirm_order
  and for every third order: request_refund (idempotency key, part of the total) -> accept_refund

and per seller: request_payout (idempotency key) from the available balance -> approve_payout ->
mark_payout_paid (the bench admin holds finance's permissions; protected: password again).

Every request that answered HTTP 200 is acknowledged and recorded with its result. A request that
got no answer (the server died under it) is retried with exactly the same form, the same idempotency
key included, once the server is back. A keyed request retried must answer the first result; a
state transition retried may answer 200 or 409 (it was applied before the kill), and the final
checks say whether it was applied exactly once.

After the last cycle the server runs without kills until every flow is done, then stops, and the
checks run against the database (via the command in --sql): `agora-server ledger verify`, and every
acknowledged key exists exactly once with the acknowledged id, postings exist exactly once per
event, nothing refunded twice. The figures are printed as JSON on stdout.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = os.environ.get("CRASH_PASSWORD", "")


class ServerDown(Exception):
    pass


class Server:
    def __init__(self, cmd, env, port, log):
        self.cmd, self.env, self.port, self.log = cmd, env, port, log
        self.base = f"http://127.0.0.1:{port}"
        self.proc = None
        self.up = threading.Event()
        self.starts = 0

    def start(self):
        log = open(self.log, "ab")
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=log, stderr=log, cwd=os.environ.get("REPO"))
        self.starts += 1
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited during start-up (see {self.log})")
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200:
                        self.up.set()
                        return
            except Exception:
                pass
            time.sleep(0.05)
        raise SystemExit("the server did not become ready within 120 s")

    def kill(self):
        self.up.clear()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.up.clear()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = 0
        self.retried = 0
        self.mid_request = 0
        self.refused = {}
        self.retry_conflicts = 0
        self.keyed = []  # (kind, key, owner, id) acknowledged
        self.transitions = {}  # endpoint -> acknowledged count
        self.errors = []  # flows that stopped on an unexpected answer (reported, and the run fails)

    def add(self, **kw):
        with self.lock:
            for k, v in kw.items():
                setattr(self, k, getattr(self, k) + v)


class Client:
    """Calls server functions as one session; retries until acknowledged."""

    def __init__(self, server, stats, cookie):
        self.server, self.stats, self.cookie = server, stats, cookie

    def _once(self, endpoint, form):
        data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(
            f"{self.server.base}/api/{endpoint}",
            data=data,
            headers={
                "Cookie": self.cookie,
                "Origin": self.server.base,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                body = r.read().decode()
                return r.status, json.loads(body) if body else None
        except urllib.error.HTTPError as e:
            body = e.read().decode(errors="replace")
            try:
                return e.code, json.loads(body)
            except ValueError:
                return e.code, body
        except Exception as e:  # connection refused / reset / timeout: no answer
            raise ServerDown(str(e))

    def call(self, endpoint, form):
        """Returns (status, body, retried): the first answer; no answer means retry the same form."""
        retried = False
        while True:
            if not self.server.up.wait(timeout=300):
                raise SystemExit("the server stayed down for 300 s")
            try:
                status, body = self._once(endpoint, form)
            except ServerDown:
                if self.server.up.is_set():
                    # Down but not yet marked: the kill is in progress. A request that got no
                    # answer is counted once as cut mid-request.
                    time.sleep(0.05)
                if not retried:
                    self.stats.add(mid_request=1)
                retried = True
                self.stats.add(retried=1)
                time.sleep(0.05)
                continue
            if status == 200:
                self.stats.add(acked=1)
                with self.stats.lock:
                    self.stats.transitions[endpoint] = self.stats.transitions.get(endpoint, 0) + 1
            elif status >= 500 and status != 503:
                raise SystemExit(f"{endpoint}: HTTP {status}: {body}")
            elif status == 503:
                time.sleep(0.1)
                continue
            return status, body, retried


def refused(stats, endpoint, body):
    code = json.dumps(body)[:120]
    with stats.lock:
        stats.refused[f"{endpoint}: {code}"] = stats.refused.get(f"{endpoint}: {code}", 0) + 1


def transition(client, stats, endpoint, form):
    """A state change: 200, or 409 when a retry finds it applied before the kill."""
    status, body, retried = client.call(endpoint, form)
    if status == 200:
        return True
    if retried and status == 409:
        stats.add(retry_conflicts=1)
        return True
    refused(stats, endpoint, body)
    return False


def keyed(client, stats, kind, owner, endpoint, form):
    """A keyed request: its retry must answer the first result. Returns the answer's body."""
    status, body, _ = client.call(endpoint, form)
    if status != 200:
        refused(stats, endpoint, body)
        return None
    result = body["checkout_id"] if kind == "checkout" else body
    with stats.lock:
        stats.keyed.append((kind, form["idempotency_key"], owner, result))
    # Asking again with the same key must give the same answer (and apply nothing).
    status2, body2, _ = client.call(endpoint, form)
    again = body2["checkout_id"] if (kind == "checkout" and status2 == 200) else body2
    if status2 != 200 or again != result:
        raise SystemExit(f"{endpoint} replay with key {form['idempotency_key']}: {status2} {body2}, first {result}")
    return body


def buyer_flow(server, stats, buyer, sellers, run_id):
    b = Client(server, stats, buyer["cookie"])
    key = f"crash-{run_id}-checkout-{buyer['n']:06d}"
    result = keyed(
        b, stats, "checkout", buyer["user_id"], "checkout",
        {"idempotency_key": key, "address_id": buyer["address_id"], "payment_method": "sandbox"},
    )
    if result is None:
        return
    checkout = result["checkout_id"]
    if not transition(b, stats, "pay_with_sandbox", {"checkout_id": checkout, "card_number": "4242 4242 4242 4242"}):
        return
    seller = sellers[buyer["seller"]]
    s = Client(server, stats, seller["cookie"])
    for number in result["order_numbers"]:
        if not transition(s, stats, "ship_order", {"number": number, "carrier": "sf", "tracking_number": "SF1234567890"}):
            continue
        if not transition(b, stats, "confirm_order", {"number": number}):
            continue
        if buyer["n"] % 3 == 0:
            refund = keyed(
                b, stats, "refund", buyer["user_id"], "request_refund",
                {
                    "idempotency_key": f"crash-{run_id}-refund-{buyer['n']:06d}",
                    "order_number": number,
                    "amount": "1.00",
                    "reason_code": "damaged",
                    "details": "The mug arrived with a chipped rim.",
                },
            )
            if refund is not None:
                transition(s, stats, "accept_refund", {"id": refund})


def payout_flow(server, stats, seller, admin_cookie, run_id, stop):
    s = Client(server, stats, seller["cookie"])
    a = Client(server, stats, admin_cookie)
    n = 0
    while not stop.is_set():
        status, bal, _ = s.call("seller_balance", {})
        if status != 200 or bal.get("available_minor", 0) < 1500:
            time.sleep(0.3)
            continue
        n += 1
        payout = keyed(
            s, stats, "payout", seller["org"], "request_payout",
            {
                "idempotency_key": f"crash-{run_id}-payout-{seller['org']}-{n:04d}",
                "amount": "10.00",
                "payout_account_id": seller["account_id"],
            },
        )
        if payout is None:
            time.sleep(0.3)
            continue
        form = {"id": payout, "reason": "crash test", "password": PASSWORD}
        if transition(a, stats, "approve_payout", form):
            transition(a, stats, "mark_payout_paid", {**form, "external_reference": f"CRASH-{payout}"})
        time.sleep(0.5)  # a payout now and then: most of the traffic is buyers'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--setup", required=True, help="JSON: buyers, sellers, admin cookie")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--log", required=True)
    ap.add_argument("--min-up", type=float, default=0.3)
    ap.add_argument("--max-up", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    random.seed(args.seed)
    setup = json.load(open(args.setup))
    global PASSWORD
    PASSWORD = setup["password"]
    server = Server(args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd, dict(os.environ), args.port, args.log)
    stats = Stats()
    run_id = f"{args.seed}"
    started = time.time()
    server.start()

    stop_payouts = threading.Event()
    threads = []
    buyers = list(setup["buyers"])
    queue_lock = threading.Lock()

    def buyer_worker():
        while True:
            with queue_lock:
                if not buyers:
                    return
                buyer = buyers.pop(0)
            try:
                buyer_flow(server, stats, buyer, setup["sellers"], run_id)
            except BaseException as e:  # a thread's SystemExit would otherwise vanish silently
                with stats.lock:
                    stats.errors.append(f"buyer {buyer['n']}: {e}")

    for _ in range(args.clients):
        t = threading.Thread(target=buyer_worker, daemon=True)
        t.start()
        threads.append(t)
    payout_threads = []
    for seller in setup["sellers"]:
        def payouts(seller=seller):
            try:
                payout_flow(server, stats, seller, setup["admin_cookie"], run_id, stop_payouts)
            except BaseException as e:
                with stats.lock:
                    stats.errors.append(f"seller {seller['org']}: {e}")

        t = threading.Thread(target=payouts, daemon=True)
        t.start()
        payout_threads.append(t)

    kills = 0
    for cycle in range(args.cycles):
        time.sleep(random.uniform(args.min_up, args.max_up))
        server.kill()
        kills += 1
        print(f"[crash] cycle {cycle + 1}/{args.cycles}: killed; {stats.acked} acknowledged so far", file=sys.stderr)
        time.sleep(random.uniform(0.0, 0.3))
        server.start()
    for t in threads:
        t.join()
    time.sleep(2.0)  # the last holds release (settlement_hold_days = 0) and payouts finish
    stop_payouts.set()
    for t in payout_threads:
        t.join(timeout=120)
    server.stop()
    out = {
        "cycles": args.cycles,
        "kills": kills,
        "server_starts": server.starts,
        "requests_acknowledged": stats.acked,
        "requests_retried": stats.retried,
        "requests_cut_mid_request": stats.mid_request,
        "retries_finding_it_applied_409": stats.retry_conflicts,
        "acknowledged_by_endpoint": stats.transitions,
        "refused_first_attempts": stats.refused,
        "errors": stats.errors,
        "keyed": stats.keyed,
        "seconds": round(time.time() - started, 1),
        "seed": args.seed,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
