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

Usage: reference_loop_simpy.py [--seed N] [--hours H]; prints one JSON object.
Run with Debian's /usr/bin/python3 (package python3-simpy3).
"""
import argparse
import json
import random
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


class Parcel:
    __slots__ = ("arrival", "chute_pos", "chute", "failures", "carrier")

    def __init__(self, arrival):
        self.arrival = arrival
        self.chute = None  # index into chutes, or None for the exception chute
        self.chute_pos = 0
        self.failures = 0
        self.carrier = 0


def run(seed, hours):
    rng = random.Random(seed)
    env = simpy.Environment()
    horizon = hours * 3600.0
    cycle_ticks = -(-CYCLE // TICK)  # ceil: 1.5 s -> 4 ticks
    cycle_ticks = int(cycle_ticks) if cycle_ticks * TICK >= CYCLE - 1e-9 else int(cycle_ticks) + 1
    induct_pos = [i * N // K for i in range(K)]
    chute_pos = [1 + 4 * j for j in range(C)]
    chutes = [simpy.Store(env, capacity=CAPACITY) for _ in range(C)]
    queues = [[] for _ in range(K)]  # FIFO lists (pop(0) is fine at these lengths)
    carriers = [None] * N
    due = {}  # tick -> parcels reaching their chute then
    kpi = dict(arrived=0, inducted=0, sorted=0, exception=0, no_read=0, recirculations=0, wait_sum=0.0)

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(RATE_PER_HOUR / 3600.0))
            queues[rng.randrange(K)].append(Parcel(env.now))
            kpi["arrived"] += 1

    def operator(store):
        while True:
            yield store.get()
            yield env.timeout(rng.expovariate(1.0 / HANDLING_MEAN))

    def ride(parcel, from_pos, to_pos, tick):
        d = (to_pos - from_pos) % N
        due.setdefault(tick + (d if d > 0 else N), []).append(parcel)

    def sorter():
        last_load = [-10**9] * K
        tick = 0
        while True:
            for parcel in due.pop(tick, ()):
                if parcel.chute is None:  # exception chute: unlimited
                    kpi["exception"] += 1
                    carriers[parcel.carrier] = None
                elif len(chutes[parcel.chute].items) < CAPACITY:
                    chutes[parcel.chute].put(parcel)
                    kpi["sorted"] += 1
                    carriers[parcel.carrier] = None
                else:
                    parcel.failures += 1
                    if parcel.failures >= MAX_FAILURES:
                        parcel.chute = None
                        ride(parcel, parcel.chute_pos, EXCEPTION_POS, tick)
                    else:
                        kpi["recirculations"] += 1
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
                kpi["wait_sum"] += tick * TICK - parcel.arrival
                if rng.random() < NO_READ:
                    kpi["no_read"] += 1
                    parcel.chute = None
                    parcel.chute_pos = EXCEPTION_POS
                else:
                    parcel.chute = rng.randrange(C)
                    parcel.chute_pos = chute_pos[parcel.chute]
                ride(parcel, induct_pos[i], parcel.chute_pos, tick)
            tick += 1
            yield env.timeout(TICK)

    env.process(arrivals())
    for store in chutes:
        env.process(operator(store))
    env.process(sorter())
    start = time.perf_counter()
    env.run(until=horizon)
    wall = time.perf_counter() - start
    inducted = kpi["inducted"]
    return {
        "peer": "simpy",
        "simpyVersion": simpy.__version__,
        "seed": seed,
        "simulatedSeconds": horizon,
        "wallSeconds": wall,
        "arrived": kpi["arrived"],
        "inducted": inducted,
        "sorted": kpi["sorted"],
        "exception": kpi["exception"],
        "noRead": kpi["no_read"],
        "recirculations": kpi["recirculations"],
        "sortedPerHour": kpi["sorted"] / hours,
        "recirculationsPerInducted": kpi["recirculations"] / inducted if inducted else 0.0,
        "meanInductWaitSeconds": kpi["wait_sum"] / inducted if inducted else 0.0,
        "queuedAtEnd": sum(len(q) for q in queues),
        "parcelsPerWallSecond": kpi["arrived"] / wall,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hours", type=float, default=8.0)
    a = ap.parse_args()
    print(json.dumps(run(a.seed, a.hours)))
