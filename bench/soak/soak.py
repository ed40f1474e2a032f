"""Soak driver: opens sessions at a steady rate against a running `scamguard serve`, sends each
one to three events and abandons it, and samples the server's memory and sessions meanwhile.

    python3 soak.py --url http://127.0.0.1:18090 --key KEY --pid PID --seconds 180 \
        --rate 40 --cap 500 --idle 20 --sweep 5

Every --sample seconds it prints one line: elapsed time, sessions opened, requests answered,
errors, the server's resident memory (VmRSS of --pid), open file descriptors, sessions open in
the store (`scamguard_sessions_open`) and held in memory (`scamguard_sessions_in_memory`).
At the end it checks that what must stay bounded did, and exits 1 when something did not:

- no request failed;
- sessions held in memory never exceeded --cap (the cap is enforced as each session is added);
- sessions open in the store stayed under rate x (idle + 2 sweeps) x 1.25: abandoned sessions
  expire and are closed;
- memory in the last third of the run is at most 1.25 x the peak of the middle third + 16 MiB
  (the first third is warm-up: caches, pools and the in-memory session map fill up).
"""

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
import urllib.parse

CALLERS = ["市公安局", "微信客服", "京东客服", "Mum", "中国银行", "快递理赔"]


def session_body(i):
    return {
        "channel": "video_call",
        "locale": "zh-Hans",
        "from": {
            "handle": f"+1 213 555 {i % 10000:04d}",
            "display_name": CALLERS[i % len(CALLERS)],
            "in_contacts": False,
        },
        "events": [{"type": "call_offer", "id": "offer"}],
    }


EVENTS = [
    {"type": "screen_share_request", "initiator": "remote", "app": "facetime"},
    {"type": "speech", "speaker": "remote", "text": "你好，这里是公安局，你的账户涉嫌洗钱"},
    {"type": "otp_received", "text": "【银行】验证码 482913，请勿泄露"},
    {"type": "call_ended"},
]


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.opened = 0
        self.requests = 0
        self.errors = 0
        self.first_error = None

    def add(self, opened=0, requests=0, error=None):
        with self.lock:
            self.opened += opened
            self.requests += requests
            if error is not None:
                self.errors += 1
                self.first_error = self.first_error or error


def worker(url, key, schedule, stop, counters):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(path, body):
        nonlocal conn
        for attempt in range(2):
            try:
                conn.request("POST", path, json.dumps(body), headers)
                resp = conn.getresponse()
                data = resp.read()
                return resp.status, data
            except (http.client.HTTPException, OSError):
                # The server closes idle keep-alive connections: reconnect once.
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                if attempt == 1:
                    raise

    rng = random.Random()
    while not stop.is_set():
        i, at = schedule()
        wait = at - time.monotonic()
        if wait > 0:
            if stop.wait(wait):
                return
        try:
            status, data = post("/v1/sessions", session_body(i))
            if status != 200:
                counters.add(requests=1, error=f"open: {status} {data[:200]!r}")
                continue
            sid = json.loads(data)["session_id"]
            counters.add(opened=1, requests=1)
            for ev in rng.sample(EVENTS[:3], rng.randint(0, 2)):
                status, data = post(f"/v1/sessions/{sid}/events", ev)
                counters.add(requests=1, error=None if status == 200 else f"event: {status} {data[:200]!r}")
        except Exception as e:  # noqa: BLE001 - any failure is an error of the run
            counters.add(error=f"{type(e).__name__}: {e}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def gauges(url):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    found = {}
    for line in text.splitlines():
        for name in ("scamguard_sessions_open", "scamguard_sessions_in_memory"):
            if line.startswith(name + " "):
                found[name] = float(line.split()[1])
    return int(found.get("scamguard_sessions_open", -1)), int(found.get("scamguard_sessions_in_memory", -1))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--seconds", type=float, default=180)
    p.add_argument("--rate", type=float, default=40, help="sessions opened per second")
    p.add_argument("--cap", type=int, required=True, help="the server's --max-sessions-in-memory")
    p.add_argument("--idle", type=float, required=True, help="the server's --session-idle-secs")
    p.add_argument("--sweep", type=float, required=True, help="the server's --sweep-interval-secs")
    p.add_argument("--sample", type=float, default=10)
    p.add_argument("--workers", type=int, default=8)
    args = p.parse_args()

    counters = Counters()
    stop = threading.Event()
    start = time.monotonic()
    lock = threading.Lock()
    slot = [0]

    def schedule():
        with lock:
            i = slot[0]
            slot[0] += 1
        return i, start + i / args.rate

    threads = [
        threading.Thread(target=worker, args=(args.url, args.key, schedule, stop, counters), daemon=True)
        for _ in range(args.workers)
    ]
    for t in threads:
        t.start()

    samples = []
    print(f"{'secs':>5} {'opened':>7} {'requests':>8} {'errors':>6} {'rss MiB':>8} {'fds':>4} {'open':>6} {'in memory':>9}")
    next_sample = start + args.sample
    while True:
        now = time.monotonic()
        end = start + args.seconds
        time.sleep(max(0.0, min(next_sample, end) - now))
        now = time.monotonic()
        open_, in_memory = gauges(args.url)
        s = {
            "t": now - start,
            "opened": counters.opened,
            "requests": counters.requests,
            "errors": counters.errors,
            "rss": rss_kib(args.pid) / 1024,
            "fds": fds(args.pid),
            "open": open_,
            "in_memory": in_memory,
        }
        samples.append(s)
        print(f"{s['t']:5.0f} {s['opened']:7d} {s['requests']:8d} {s['errors']:6d} {s['rss']:8.1f} {s['fds']:4d} {s['open']:6d} {s['in_memory']:9d}", flush=True)
        next_sample += args.sample
        if now >= end:
            break
    stop.set()
    for t in threads:
        t.join(timeout=35)

    elapsed = samples[-1]["t"]
    achieved = counters.opened / elapsed
    third = max(1, len(samples) // 3)
    middle = samples[third : 2 * third] or samples[:1]
    last = samples[2 * third :] or samples[-1:]
    rss_middle = max(s["rss"] for s in middle)
    rss_last = max(s["rss"] for s in last)
    max_in_memory = max(s["in_memory"] for s in samples)
    max_open = max(s["open"] for s in samples)
    in_memory_bound = args.cap
    open_bound = args.rate * (args.idle + 2 * args.sweep) * 1.25
    rss_bound = 1.25 * rss_middle + 16
    print(
        f"\n{counters.opened} sessions in {elapsed:.0f} s ({achieved:.1f}/s of {args.rate:g}/s asked), "
        f"{counters.requests} requests, {counters.errors} errors"
    )
    print(f"memory: peak {rss_middle:.1f} MiB in the middle third, {rss_last:.1f} MiB in the last (bound {rss_bound:.1f})")
    print(f"sessions in memory: at most {max_in_memory} (cap {args.cap}, bound {in_memory_bound:.0f})")
    print(f"sessions open in the store: at most {max_open} (bound {open_bound:.0f})")
    problems = []
    if counters.errors:
        problems.append(f"{counters.errors} requests failed, the first: {counters.first_error}")
    if achieved < 0.9 * args.rate:
        problems.append(f"only {achieved:.1f} sessions/s opened of {args.rate:g}/s")
    if max_in_memory > in_memory_bound:
        problems.append(f"{max_in_memory} sessions in memory, over {in_memory_bound:.0f}")
    if max_open > open_bound:
        problems.append(f"{max_open} sessions open, over {open_bound:.0f}")
    if rss_last > rss_bound:
        problems.append(f"memory grew: {rss_last:.1f} MiB after {rss_middle:.1f} MiB")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
