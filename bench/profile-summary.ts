import { writeFile, mkdir } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { printTable } from './support.js';

// A V8 CPU profile (from `node --cpu-prof` or the inspector's Profiler) summarised: self time by
// where the code lives and the hottest functions.

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives: a package, the api's own code, node's internals, or the engine. */
function placeOf(url: string, functionName: string): string {
  if (url === '')
    return functionName === '(garbage collector)' ? 'garbage collection' : `engine ${functionName || '(anonymous)'}`;
  if (url.startsWith('node:')) return `node ${url.slice('node:'.length)}`;
  const inModules = url.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const rest = url.slice(inModules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/dist/'))
    return `tracker ${url
      .slice(url.indexOf('/dist/') + 6)
      .split('/')
      .slice(0, 4)
      .join('/')}`;
  return url;
}

export function summarise(profile: CpuProfile): { places: [string, number][]; functions: [string, number][]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    total += us;
    const place = placeOf(frame.url, frame.functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${place}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return { places: sorted(places), functions: sorted(functions), totalMs: total / 1000 };
}

/** Prints the summary: the places and the functions that took the most self time. */
export function printProfile(title: string, profile: CpuProfile, rows = { places: 20, functions: 25 }): void {
  const { places, functions, totalMs } = summarise(profile);
  const share = (us: number) => `${((us / 1000 / totalMs) * 100).toFixed(1)}%`;
  console.log(`${title}: ${totalMs.toFixed(0)} ms of CPU outside idle`);
  printTable(
    ['where (self time)', 'ms', 'share'],
    places.slice(0, rows.places).map(([place, us]) => [place, (us / 1000).toFixed(0), share(us)]),
  );
  printTable(
    ['hottest functions (self time)', 'ms', 'share'],
    functions.slice(0, rows.functions).map(([name, us]) => [name, (us / 1000).toFixed(0), share(us)]),
  );
}

/** Where the profiles are kept, for a flame graph (Chrome DevTools or speedscope open them). */
export const PROFILES = path.resolve('test-artifacts/profiles');

/**
 * Profiles this thread (the api's, when it runs in-process; not the load generators' threads)
 * while `work` runs; the profile is written to PROFILES under `name` and returned.
 */
export async function profileThisThread<T>(
  name: string,
  work: () => Promise<T>,
): Promise<{ result: T; profile: CpuProfile; file: string }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    await mkdir(PROFILES, { recursive: true });
    const file = path.join(PROFILES, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${Date.now()}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return { result, profile, file };
  } finally {
    session.disconnect();
  }
}
