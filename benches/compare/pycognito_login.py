"""Times pycognito's full SRP client login (USER_SRP_AUTH) on one vector.

Usage: python pycognito_login.py VECTORS_JSON [--vector NAME] [--samples N] [--min-sample-ms MS]

One timed login is what pycognito does per sign-in, without the network:
  * A: `small_a_value` set to the vector's a, `large_a_value = calculate_a()`
    (g^a mod N) and `get_auth_params()` (SRP_A as hex);
  * the challenge: `process_challenge()` on the vector's PASSWORD_VERIFIER
    parameters (u, x, g^x, S, HKDF, the HMAC and base64), with pycognito's
    clock fixed to the vector's TIMESTAMP.
The AWSSRP object (N, g, k) is built once, outside the timing, as pycognito
builds it once per sign-in before A.

Before timing, SRP_A and PASSWORD_CLAIM_SIGNATURE are checked against the
vector (exit 1 on mismatch). Each sample is a batch of logins taking at least
--min-sample-ms of thread CPU time; the medians over --samples samples of
per-login thread CPU time and wall time are printed last:
  pycognito_version=...
  pycognito_login_cpu_median_us=<float>
  pycognito_login_wall_median_us=<float>
"""

import argparse
import datetime as real_datetime
import json
import statistics
import sys
import time
from importlib.metadata import version

import pycognito.aws_srp as aws_srp

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fixed_clock(timestamp: str):
    """A stand-in for the `datetime` module whose utcnow() is the vector's TIMESTAMP."""
    # "Tue Feb 3 07:08:09 UTC 2026"
    _, mon, day, hms, _, year = timestamp.split()
    hh, mm, ss = (int(p) for p in hms.split(":"))
    instant = real_datetime.datetime(int(year), MONTHS.index(mon) + 1, int(day), hh, mm, ss)

    class FixedDatetime(real_datetime.datetime):
        @classmethod
        def utcnow(cls):
            return instant

    class Module:
        datetime = FixedDatetime

    return Module


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("vectors")
    parser.add_argument("--vector", default="baseline_uuid_user")
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--min-sample-ms", type=float, default=50.0)
    args = parser.parse_args()

    with open(args.vectors, encoding="utf-8") as f:
        vector = next(v for v in json.load(f)["vectors"] if v["name"] == args.vector)
    expected = vector["expected"]
    a = int(vector["a"], 16)
    challenge = {
        "USER_ID_FOR_SRP": vector["user_id_for_srp"],
        "SALT": vector["salt"],
        "SRP_B": vector["srp_b"],
        "SECRET_BLOCK": vector["secret_block"],
        "USERNAME": vector["user_id_for_srp"],
    }

    # Fix pycognito's clock (it calls datetime.datetime.utcnow()).
    aws_srp.datetime = fixed_clock(vector["timestamp"])
    # `client` only has to be non-None so that no boto3 client is created.
    srp = aws_srp.AWSSRP(
        username="alice",
        password=vector["password"],
        pool_id=vector["user_pool_id"],
        client_id="benchclient",
        client=object(),
    )

    def login():
        srp.small_a_value = a
        srp.large_a_value = srp.calculate_a()
        params = srp.get_auth_params()
        response = srp.process_challenge(challenge, params)
        return params["SRP_A"], response

    srp_a, response = login()
    if srp_a != expected["srp_a"]:
        print("pycognito: SRP_A differs from the vector", file=sys.stderr)
        return 1
    if response["PASSWORD_CLAIM_SIGNATURE"] != expected["password_claim_signature"]:
        print("pycognito: signature differs from the vector", file=sys.stderr)
        return 1
    if response["TIMESTAMP"] != vector["timestamp"]:
        print("pycognito: TIMESTAMP differs from the vector", file=sys.stderr)
        return 1

    # Calibrate the batch size.
    batch = 1
    while True:
        t0 = time.thread_time_ns()
        for _ in range(batch):
            login()
        if (time.thread_time_ns() - t0) / 1e6 >= args.min_sample_ms:
            break
        batch *= 2

    cpu, wall = [], []
    for _ in range(args.samples):
        c0, w0 = time.thread_time_ns(), time.perf_counter_ns()
        for _ in range(batch):
            login()
        c1, w1 = time.thread_time_ns(), time.perf_counter_ns()
        cpu.append((c1 - c0) / batch / 1e3)
        wall.append((w1 - w0) / batch / 1e3)

    print(f"# {args.samples} samples x {batch} logins, vector {args.vector}")
    print(f"pycognito_version={version('pycognito')}")
    print(f"pycognito_login_cpu_median_us={statistics.median(cpu):.1f}")
    print(f"pycognito_login_wall_median_us={statistics.median(wall):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
