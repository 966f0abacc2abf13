#!/usr/bin/python3
"""SimPy 3 model of the Sortline reference loop sorter (docs/scenario.md "The reference model"),
written independently of Sortline as the peer of `npm run bench -- sim`.

N = 400 carriers, pitch 1.2 m, speed 2.5 m/s (tick 0.48 s); K = 8 inducts at i*N/K, 1.5 s cycle
checked at whole ticks; C = 100 chutes at 1 + 4j, capacity 10 (the parcel an operator holds is not
counted), one operator per chute with exponential handling time, mean 20 s; exception chute at
N - 1, unlimited; Poisson arrivals 10,000 /h, each to a uniformly random induct queue (FIFO);
at load 2 % are no-reads (exception chute), the rest a uniform random chute; a parcel meeting a full
chute recirculates a full lap and retries; after the 4th failed attempt it rides on to the exception
chute. Each tick: due parcels are discharged first, then inducts 0..K-1 load in order.

Usage: reference_loop_simpy.py [--scenario FILE] [--seed N] [--hours H] [--warmup-hours W]
       [--rate R] [--chute-capacity Q] [--handling-mean S]
       [--handling-distribution exponential|constant|lognormal] [--handling-sd S] [--no-read P]
prints one JSON object. Run with Debian's /usr/bin/python3 (package python3-simpy3).

The load and the chutes can be varied; the geometry (carriers, inducts, chute positions, the
recirculation limit) is the reference model's. Flags:
  --seed N                  random seed (default 1)
  --hours H                 simulated hours (default 8)
  --warmup-hours W          hours left out of the rate figures (default 0), as Sortline does:
                            sortedPerHour counts parcels discharged into a destination chute at or
                            after W, over H - W hours; meanInductWaitSeconds and
                            recirculationsPerInducted cover parcels inducted (and recirculations
                            made) at or after W; the counts cover the whole run
  --rate R                  Poisson arrivals per hour in total (default 10000)
  --chute-capacity Q        parcels a chute holds, not counting the operator's (default 10)
  --handling-mean S         mean operator handling time in seconds (default 20; the value of a
                            constant distribution)
  --handling-distribution D exponential (default), constant or lognormal
  --handling-sd S           standard deviation in seconds of a lognormal handling time
  --no-read P               share of parcels not read, to the exception chute (default 0.02)
  --scenario FILE           take these parameters from a Sortline scenario JSON
                            (scenarios/reference-loop.json shape): seed, hours, warmupHours,
                            arrivals.ratePerHour (one constant rate), sorter.chuteCapacity,
                            operators.handlingSeconds, 1 - scanner.readRate. A scenario whose other
                            parts differ from what the peer models (geometry, induct set-up,
                            per-chute capacities, waves, a non-uniform mix, a plan that is not one
                            destination per chute, ...) is refused with every difference listed
                            (exit status 2). Flags given beside --scenario override its values.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import simpy

N, PITCH, SPEED = 400, 1.2, 2.5
TICK = PITCH / SPEED
K, CYCLE = 8, 1.5
C, CAPACITY, HANDLING_MEAN = 100, 10, 20.0
EXCEPTION_POS = N - 1
RATE_PER_HOUR = 10_000.0
NO_READ = 0.02
MAX_FAILURES = 4
RECIRCULATION_LIMIT = MAX_FAILURES - 1

DEFAULTS = dict(
    seed=1,
    hours=8.0,
    warmup_hours=0.0,
    rate=RATE_PER_HOUR,
    chute_capacity=CAPACITY,
    handling_mean=HANDLING_MEAN,
    handling_distribution="exponential",
    handling_sd=None,
    no_read=NO_READ,
)


class Parcel:
    __slots__ = ("arrival", "chute_pos", "chute", "failures", "carrier")

    def __init__(self, arrival):
        self.arrival = arrival
        self.chute = None  # index into chutes, or None for the exception chute
        self.chute_pos = 0
        self.failures = 0
        self.carrier = 0


def handling_sampler(rng, distribution, mean, sd):
    """A function drawing one handling time (s): exponential by its mean, a constant, or a
    lognormal given by its own mean and standard deviation (sigma^2 = ln(1 + sd^2/mean^2),
    mu = ln(mean) - sigma^2/2)."""
    if distribution == "exponential":
        return lambda: rng.expovariate(1.0 / mean)
    if distribution == "constant":
        return lambda: mean
    s2 = math.log(1 + (sd * sd) / (mean * mean))
    mu, sigma = math.log(mean) - s2 / 2, math.sqrt(s2)
    return lambda: rng.lognormvariate(mu, sigma)


def run(seed, hours, rate=RATE_PER_HOUR, capacity=CAPACITY, handling_mean=HANDLING_MEAN,
        handling_distribution="exponential", handling_sd=None, no_read=NO_READ, warmup_hours=0.0):
    rng = random.Random(seed)
    env = simpy.Environment()
    horizon = hours * 3600.0
    warmup = warmup_hours * 3600.0
    cycle_ticks = -(-CYCLE // TICK)  # ceil: 1.5 s -> 4 ticks
    cycle_ticks = int(cycle_ticks) if cycle_ticks * TICK >= CYCLE - 1e-9 else int(cycle_ticks) + 1
    induct_pos = [i * N // K for i in range(K)]
    chute_pos = [1 + 4 * j for j in range(C)]
    chutes = [simpy.Store(env, capacity=capacity) for _ in range(C)]
    queues = [[] for _ in range(K)]  # FIFO lists (pop(0) is fine at these lengths)
    carriers = [None] * N
    due = {}  # tick -> parcels reaching their chute then
    kpi = dict(arrived=0, inducted=0, sorted=0, exception=0, no_read=0, recirculations=0, wait_sum=0.0)
    # the same figures after warm-up (the rates); equal to the whole-run ones without warm-up
    window = dict(inducted=0, sorted=0, recirculations=0, wait_sum=0.0)
    handling = handling_sampler(rng, handling_distribution, handling_mean, handling_sd)

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(rate / 3600.0))
            queues[rng.randrange(K)].append(Parcel(env.now))
            kpi["arrived"] += 1

    def operator(store):
        while True:
            yield store.get()
            yield env.timeout(handling())

    def ride(parcel, from_pos, to_pos, tick):
        d = (to_pos - from_pos) % N
        due.setdefault(tick + (d if d > 0 else N), []).append(parcel)

    def sorter():
        last_load = [-10**9] * K
        tick = 0
        while True:
            in_window = tick * TICK >= warmup
            for parcel in due.pop(tick, ()):
                if parcel.chute is None:  # exception chute: unlimited
                    kpi["exception"] += 1
                    carriers[parcel.carrier] = None
                elif len(chutes[parcel.chute].items) < capacity:
                    chutes[parcel.chute].put(parcel)
                    kpi["sorted"] += 1
                    if in_window:
                        window["sorted"] += 1
                    carriers[parcel.carrier] = None
                else:
                    parcel.failures += 1
                    if parcel.failures >= MAX_FAILURES:
                        parcel.chute = None
                        ride(parcel, parcel.chute_pos, EXCEPTION_POS, tick)
                    else:
                        kpi["recirculations"] += 1
                        if in_window:
                            window["recirculations"] += 1
                        ride(parcel, parcel.chute_pos, parcel.chute_pos, tick)
            for i in range(K):
                q = queues[i]
                if not q or tick - last_load[i] < cycle_ticks:
                    continue
                c = (induct_pos[i] - tick) % N
                if carriers[c] is not None:
                    continue
                parcel = q.pop(0)
                carriers[c] = parcel
                parcel.carrier = c
                last_load[i] = tick
                kpi["inducted"] += 1
                wait = tick * TICK - parcel.arrival
                kpi["wait_sum"] += wait
                if in_window:
                    window["inducted"] += 1
                    window["wait_sum"] += wait
                if rng.random() < no_read:
                    kpi["no_read"] += 1
                    parcel.chute = None
                    parcel.chute_pos = EXCEPTION_POS
                else:
                    parcel.chute = rng.randrange(C)
                    parcel.chute_pos = chute_pos[parcel.chute]
                ride(parcel, induct_pos[i], parcel.chute_pos, tick)
            tick += 1
            yield env.timeout(TICK)

    if rate > 0:
        env.process(arrivals())
    for store in chutes:
        env.process(operator(store))
    env.process(sorter())
    start = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - start
    inducted = window["inducted"]
    return {
        "peer": "simpy",
        "simpyVersion": simpy.__version__,
        "seed": seed,
        "simulatedSeconds": horizon,
        "wallSeconds": wall,
        "arrived": kpi["arrived"],
        "inducted": kpi["inducted"],
        "sorted": kpi["sorted"],
        "exception": kpi["exception"],
        "noRead": kpi["no_read"],
        "recirculations": kpi["recirculations"],
        "sortedPerHour": window["sorted"] / (hours - warmup_hours),
        "recirculationsPerInducted": window["recirculations"] / inducted if inducted else 0.0,
        "meanInductWaitSeconds": window["wait_sum"] / inducted if inducted else 0.0,
        "queuedAtEnd": sum(len(q) for q in queues),
        "parcelsPerWallSecond": kpi["arrived"] / wall,
    }


class ScenarioRefused(Exception):
    """A scenario the peer cannot run: args are (JSON pointer, what was found, what is expected)."""


def scenario_parameters(path):
    """Reads the reference-model parameters from a Sortline scenario file (docs/scenario.md) and
    checks that everything else in it is what the peer models. Returns a dict with keys of
    DEFAULTS (those the file gives); raises ScenarioRefused listing every difference, OSError or
    ValueError (bad JSON) otherwise."""
    with open(path, encoding="utf-8") as f:
        s = json.load(f)
    faults = []

    def fault(pointer, found, expected):
        faults.append((pointer, found, expected))

    def get(obj, *keys, default=None):
        for k in keys:
            if not isinstance(obj, dict) or k not in obj:
                return default
            obj = obj[k]
        return obj

    def expect(pointer, found, expected, what=None):
        if found != expected:
            fault(pointer, json.dumps(found), what or json.dumps(expected))

    out = {}
    if not isinstance(s, dict):
        raise ScenarioRefused([("", type(s).__name__, "a scenario object")])
    known = {"$schema", "name", "description", "seed", "hours", "startTime", "warmupHours",
             "sorter", "operators", "arrivals", "scanner", "labels", "mix", "plan"}
    for k in s:
        if k not in known:
            fault("/" + k, "a key", "only the keys of a Sortline scenario")
    if "seed" in s:
        out["seed"] = s["seed"]
    if "hours" in s:
        out["hours"] = float(s["hours"])
    else:
        fault("/hours", "nothing", "simulated hours")
    if "warmupHours" in s:
        out["warmup_hours"] = float(s["warmupHours"])

    so = get(s, "sorter", default={})
    expect("/sorter/type", so.get("type", "loop"), "loop")
    expect("/sorter/carriers", so.get("carriers"), N)
    expect("/sorter/pitch", so.get("pitch"), PITCH)
    expect("/sorter/speed", so.get("speed"), SPEED)
    expect("/sorter/recirculationLimit", so.get("recirculationLimit"), RECIRCULATION_LIMIT)
    expect("/sorter/slotPolicy", get(so, "slotPolicy", "name", default="first-empty"), "first-empty",
           '{"name":"first-empty"} or none')
    ind = so.get("inducts", {})
    expect("/sorter/inducts/count", ind.get("count"), K)
    expect("/sorter/inducts/cycleSeconds", ind.get("cycleSeconds"), CYCLE)
    positions = ind.get("positions", "even")
    if positions != "even" and positions != [i * N // K for i in range(K)]:
        fault("/sorter/inducts/positions", json.dumps(positions), '"even" (induct i at i*400/8)')
    expect("/sorter/inducts/first", ind.get("first", 0), 0)
    weights = ind.get("weights")
    if weights is not None and (len(weights) != K or len(set(weights)) != 1 or weights[0] <= 0):
        fault("/sorter/inducts/weights", json.dumps(weights), "none or 8 equal weights")
    if "chuteCapacity" in so:
        out["chute_capacity"] = so["chuteCapacity"]
    else:
        fault("/sorter/chuteCapacity", "nothing", "the chute capacity")
    chutes = so.get("chutes", [])
    expect("/sorter/chutes", [c.get("position") for c in chutes], [1 + 4 * j for j in range(C)],
           "100 chutes at positions 1 + 4j")
    for j, c in enumerate(chutes):
        if "capacity" in c and c["capacity"] != so.get("chuteCapacity"):
            fault(f"/sorter/chutes/{j}/capacity", json.dumps(c["capacity"]),
                  "no capacity of its own (every chute has sorter.chuteCapacity)")
    exc = so.get("exceptionChutes", [])
    if len(exc) != 1 or exc[0].get("position") != EXCEPTION_POS or "capacity" in exc[0]:
        fault("/sorter/exceptionChutes", json.dumps(exc),
              f"one exception chute at position {EXCEPTION_POS}, unlimited")
    for k in so:
        if k not in {"type", "carriers", "pitch", "speed", "recirculationLimit", "slotPolicy",
                     "inducts", "chuteCapacity", "chutes", "exceptionChutes"}:
            fault("/sorter/" + k, "a key", "only the keys of a Sortline loop sorter")

    op = get(s, "operators", default={})
    expect("/operators/perChute", op.get("perChute"), 1)
    h = op.get("handlingSeconds", {})
    dist = h.get("distribution")
    if dist == "exponential":
        out.update(handling_distribution=dist, handling_mean=float(h.get("mean", 0)))
    elif dist == "constant":
        out.update(handling_distribution=dist, handling_mean=float(h.get("value", 0)))
    elif dist == "lognormal":
        out.update(handling_distribution=dist, handling_mean=float(h.get("mean", 0)),
                   handling_sd=float(h.get("sd", 0)))
    else:
        fault("/operators/handlingSeconds", json.dumps(h), "an exponential, constant or lognormal distribution")

    arr = get(s, "arrivals", default={})
    rates = arr.get("ratePerHour", [])
    if not rates or len(set(rates)) != 1:
        fault("/arrivals/ratePerHour", json.dumps(rates), "one constant rate (the peer has no rate profile)")
    else:
        out["rate"] = float(rates[0])
    if arr.get("waves"):
        fault("/arrivals/waves", "truck waves", "none (the peer has Poisson arrivals only)")

    sc = get(s, "scanner", default={})
    if "readRate" in sc:
        out["no_read"] = round(1 - sc["readRate"], 12)  # 1 - 0.98 is 0.020000000000000018
    else:
        fault("/scanner/readRate", "nothing", "a read rate")
    for k in ("duplicateReadRate", "secondLabelRate"):
        if sc.get(k, 0) != 0:
            fault("/scanner/" + k, json.dumps(sc[k]), "0 or none (the peer reads one label once)")
    if get(s, "labels", "routingCodeShare", default=0) != 0:
        fault("/labels/routingCodeShare", json.dumps(s["labels"]["routingCodeShare"]),
              "0 or none (the peer's labels are resolved by postal rules only)")

    plan = s.get("plan")
    if isinstance(plan, str):
        with open(os.path.join(os.path.dirname(path), plan), encoding="utf-8") as f:
            plan = json.load(f)
    plan = plan if isinstance(plan, dict) else {}
    ids = [c.get("id") for c in chutes]
    dests = plan.get("destinations", [])
    chute_of = {d.get("id"): d.get("chutes") for d in dests}
    if sorted(str(v) for v in chute_of.values()) != sorted(str([i]) for i in ids) or len(dests) != len(ids):
        fault("/plan/destinations", f"{len(dests)} destinations",
              "one destination per destination chute, each with that one chute")
    ruled = {r.get("destination") for r in plan.get("rules", []) if "postal" in r}
    mix = s.get("mix", [])
    if sorted(m.get("destination") for m in mix) != sorted(chute_of) or len({m.get("weight") for m in mix}) != 1 \
            or not mix or mix[0].get("weight", 0) <= 0:
        fault("/mix", f"{len(mix)} entries, weights {sorted({str(m.get('weight')) for m in mix})}",
              "every plan destination once, all with the same weight")
    missing = [m.get("destination") for m in mix if m.get("destination") not in ruled]
    if missing:
        fault("/plan/rules", f"no postal rule for {', '.join(map(str, missing[:5]))}",
              "a postal rule for every mix destination")
    x = exc[0].get("id") if len(exc) == 1 else None
    for k, v in plan.get("fallbacks", {}).items():
        if v != x:
            fault("/plan/fallbacks/" + k, json.dumps(v), f"the exception chute {json.dumps(x)}")

    if faults:
        raise ScenarioRefused(faults)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Defaults are the reference model (docs/scenario.md); see the module docstring.")
    ap.add_argument("--scenario", metavar="FILE", help="read the parameters from a Sortline scenario JSON")
    ap.add_argument("--seed", type=int, help="random seed (default 1)")
    ap.add_argument("--hours", type=float, help="simulated hours (default 8)")
    ap.add_argument("--warmup-hours", type=float, help="hours left out of the rates (default 0)")
    ap.add_argument("--rate", type=float, help="Poisson arrivals per hour (default 10000)")
    ap.add_argument("--chute-capacity", type=int, help="parcels per chute (default 10)")
    ap.add_argument("--handling-mean", type=float, help="mean handling time, s (default 20)")
    ap.add_argument("--handling-distribution", choices=["exponential", "constant", "lognormal"],
                    help="handling time distribution (default exponential)")
    ap.add_argument("--handling-sd", type=float, help="sd of a lognormal handling time, s")
    ap.add_argument("--no-read", type=float, help="share of no-reads (default 0.02)")
    a = ap.parse_args(argv)
    p = dict(DEFAULTS)
    if a.scenario is not None:
        try:
            p.update(scenario_parameters(a.scenario))
        except ScenarioRefused as e:
            lines = "\n".join(f"  {ptr or '/'}: found {found}; expected {exp}" for ptr, found, exp in e.args[0])
            ap.exit(2, f"{ap.prog}: {a.scenario}: the peer does not model this scenario:\n{lines}\n")
        except (OSError, ValueError) as e:
            ap.exit(2, f"{ap.prog}: {a.scenario}: {e}\n")
    for k in DEFAULTS:
        v = getattr(a, k)
        if v is not None:
            p[k] = v
    if p["handling_distribution"] == "lognormal" and p["handling_sd"] is None:
        ap.error("a lognormal handling time needs --handling-sd")
    if not p["hours"] > 0:
        ap.error(f"--hours {p['hours']}: expected > 0")
    if not 0 <= p["warmup_hours"] < p["hours"]:
        ap.error(f"--warmup-hours {p['warmup_hours']}: expected >= 0 and below --hours ({p['hours']})")
    if not p["rate"] >= 0:
        ap.error(f"--rate {p['rate']}: expected >= 0")
    if not p["chute_capacity"] >= 1:
        ap.error(f"--chute-capacity {p['chute_capacity']}: expected an integer >= 1")
    if not p["handling_mean"] > 0 or (p["handling_sd"] is not None and not p["handling_sd"] > 0):
        ap.error("handling time: expected a mean (and sd) > 0")
    if not 0 <= p["no_read"] <= 1:
        ap.error(f"--no-read {p['no_read']}: expected a share from 0 to 1")
    print(json.dumps(run(p["seed"], p["hours"], rate=p["rate"], capacity=p["chute_capacity"],
                         handling_mean=p["handling_mean"],
                         handling_distribution=p["handling_distribution"],
                         handling_sd=p["handling_sd"], no_read=p["no_read"],
                         warmup_hours=p["warmup_hours"])))


if __name__ == "__main__":
    main()
