import { Session } from 'node:inspector/promises';

interface Node {
  selfSize: number;
  children: Node[];
}

/**
 * Bytes allocated while `fn` runs, by V8's sampling heap profiler with collected objects included
 * (an estimate: one sample per ~64 bytes). Warm `fn` up first: interpreted code boxes numbers.
 */
export async function allocatedDuring(fn: () => void): Promise<number> {
  const s = new Session();
  s.connect();
  await s.post('HeapProfiler.startSampling', {
    samplingInterval: 64,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  fn();
  const { profile } = (await s.post('HeapProfiler.stopSampling')) as { profile: { head: Node } };
  s.disconnect();
  let bytes = 0;
  (function walk(n: Node) {
    bytes += n.selfSize;
    n.children.forEach(walk);
  })(profile.head);
  return bytes;
}

/**
 * The least of `runs` measurements of {@link allocatedDuring}: on a loaded machine one run may
 * include the JIT's own allocations (a late optimisation of `fn`); an allocation per call of the
 * measured code shows in every run.
 */
export async function leastAllocatedDuring(fn: () => void, runs = 3): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < runs; i++) least = Math.min(least, await allocatedDuring(fn));
  return least;
}
