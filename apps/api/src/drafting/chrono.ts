import { createRequire } from 'node:module';

type Chrono = typeof import('chrono-node');

let loaded: Chrono | undefined;

/** chrono-node is some 260 modules: loaded when the first notes are drafted, not at every start of the api. */
export function chrono(): Chrono {
  return (loaded ??= createRequire(import.meta.url)('chrono-node') as Chrono);
}
