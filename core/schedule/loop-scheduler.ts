import type { ChuteTable, InductTable, LoopSorter, ParcelTable } from '../sorter/index.js';
import { SlotAllocator, SlotDecision, type SlotPolicySpec } from './slots.js';
import { DischargeWheel } from './wheel.js';

/**
 * What the scheduler asks of its owner (the simulator, or the emulated PLC): routing at the scan,
 * chute acceptance at discharge, and the next chute after a failed attempt. Called once per event,
 * never per tick; implementations must not allocate per parcel.
 */
export interface LoopHooks {
  /**
   * The parcel was just loaded from `induct` at `tick` and passes the scan tunnel: resolve its
   * reads and return its target chute index. The implementation records the routing outcome in
   * the parcel table (`routed`, `reason`). Return {@link UNDECIDED} when the destination is not
   * known yet (a destination reply is awaited): the parcel then rides to the decision point and
   * `decide` is called there.
   */
  scan(parcel: number, induct: number, tick: number): number;
  /**
   * An undecided parcel reached the decision point (the first divert, `decisionTicks` after its
   * induct): return its target chute now (an exception chute when no reply came in time).
   * Required when `scan` can return UNDECIDED.
   */
  decide?(parcel: number, tick: number): number;
  /** The parcel is in front of `chute` at `tick`: return true when the chute takes it (the hook updates fill and counts). */
  discharge(parcel: number, chute: number, tick: number): boolean;
  /**
   * The chute refused the parcel and it may recirculate: return its next target chute (may be the
   * same), or {@link UNDECIDED} when a new destination is requested (decided `decisionTicks` later).
   */
  retry(parcel: number, chute: number, tick: number): number;
  /** The chute refused the parcel at the recirculation limit: return the exception chute it rides on to (set `reason`). */
  overLimit(parcel: number, chute: number, tick: number): number;
}

/** Scheduler settings. */
export interface LoopScheduleOptions {
  /**
   * Recirculations (laps after a failed discharge) a parcel may make; the next failure sends it to
   * the exception chute. DESIGN.md reference model: 3 (the 4th failed attempt rides on to the
   * exception chute).
   */
  recirculationLimit: number;
  /** Induct slot allocation policy. */
  slotPolicy: SlotPolicySpec;
  /**
   * Ticks from an induct to the decision point, the first divert a parcel can still be sent to
   * once its destination is known (DESIGN.md: the scan-to-first-divert travel time). Only used
   * for parcels `scan` leaves UNDECIDED. Default 1.
   */
  decisionTicks?: number;
}

/** What `LoopHooks.scan` returns when the destination is not known yet. */
export const UNDECIDED = -1;

/**
 * The loop-sorter tick (DESIGN.md "machine model"): at tick k, first every parcel due at its chute
 * is discharged or recirculates (with the limit, then the exception chute), then inducts 0..K−1 in
 * order each load the carrier in front of them when they have a parcel waiting, their cycle has
 * passed, the carrier is empty and the slot policy agrees.
 *
 * State lives in the typed arrays of the sorter tables; a parcel is an id. Nothing is allocated
 * per parcel or per tick.
 */
export class LoopScheduler {
  readonly slots: SlotAllocator;
  private readonly wheel: DischargeWheel;
  private readonly limit: number;
  private readonly decisionTicks: number;
  /** Parcels loaded onto carriers. */
  inducted = 0;
  /** Parcels discharged into any chute. */
  discharged = 0;
  /** Failed discharge attempts after which the parcel rode another lap toward a destination chute. */
  recirculations = 0;

  constructor(
    readonly loop: LoopSorter,
    readonly inducts: InductTable,
    readonly chutes: ChuteTable,
    readonly parcels: ParcelTable,
    private readonly hooks: LoopHooks,
    options: LoopScheduleOptions,
  ) {
    this.limit = options.recirculationLimit;
    this.decisionTicks = Math.max(1, Math.min(loop.carriers, options.decisionTicks ?? 1));
    this.wheel = new DischargeWheel(loop.carriers, parcels);
    this.slots = new SlotAllocator(options.slotPolicy, loop, inducts, chutes);
  }

  /** Parcels riding carriers now. */
  get onLoop(): number {
    return this.wheel.pending;
  }

  /** Runs tick `tick`: discharges, then loads. Ticks must be run in order, each once. */
  tick(tick: number): void {
    this.dischargePhase(tick);
    this.loadPhase(tick);
  }

  private dischargePhase(tick: number): void {
    const parcels = this.parcels;
    const position = this.chutes.position;
    let p = this.wheel.take(tick);
    while (p >= 0) {
      const following = parcels.next[p]!;
      this.wheel.done();
      const chute = parcels.chute[p]!;
      if (chute === UNDECIDED) {
        this.decide(p, tick);
      } else if (this.hooks.discharge(p, chute, tick)) {
        this.loop.load[parcels.carrier[p]!] = -1;
        this.discharged++;
        parcels.free(p);
      } else {
        const failures = parcels.attempts[p]! + 1;
        parcels.attempts[p] = failures > 255 ? 255 : failures;
        let next: number;
        if (failures > this.limit) {
          next = this.hooks.overLimit(p, chute, tick);
        } else {
          next = this.hooks.retry(p, chute, tick);
          this.recirculations++;
        }
        parcels.chute[p] = next;
        if (next === UNDECIDED) this.wheel.schedule(p, tick + this.decisionTicks);
        else
          this.wheel.schedule(p, tick + this.loop.ticksBetween(position[chute]!, position[next]!));
      }
      p = following;
    }
  }

  private loadPhase(tick: number): void {
    const inducts = this.inducts;
    const loop = this.loop;
    const load = loop.load;
    const reservedFor = loop.reservedFor;
    const parcels = this.parcels;
    const lastLoad = inducts.lastLoadTick;
    const cycle = inducts.cycleTicks;
    const queues = inducts.queues;
    const slotsInFlight = this.slots.slotsInFlight;
    for (let i = 0; i < inducts.count; i++) {
      const queue = queues[i]!;
      if (queue.length === 0 || tick - lastLoad[i]! < cycle[i]!) {
        // a slot reserved for this induct passes unused: release it
        if (slotsInFlight[i]! > 0) {
          const c = loop.carrierAt(inducts.position[i]!, tick);
          if (reservedFor[c] === i) this.slots.passIdle(i, c);
        }
        continue;
      }
      const at = inducts.position[i]!;
      const c = loop.carrierAt(at, tick);
      if (load[c] !== -1) continue;
      if (this.slots.decide(i, c) === SlotDecision.SKIP) continue;
      const p = queue.shift();
      load[c] = p;
      parcels.carrier[p] = c;
      lastLoad[i] = tick;
      this.inducted++;
      const chute = this.hooks.scan(p, i, tick);
      parcels.chute[p] = chute;
      if (chute === UNDECIDED) this.wheel.schedule(p, tick + this.decisionTicks);
      else this.wheel.schedule(p, tick + loop.ticksBetween(at, this.chutes.position[chute]!));
    }
  }

  /** An undecided parcel at its decision point: ask for its chute and ride on to it. */
  private decide(p: number, tick: number): void {
    const chute = this.hooks.decide!(p, tick);
    this.parcels.chute[p] = chute;
    const here = (this.parcels.carrier[p]! + tick) % this.loop.carriers;
    this.wheel.schedule(p, tick + this.loop.ticksBetween(here, this.chutes.position[chute]!));
  }
}
