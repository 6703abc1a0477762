import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { LoadRequest, LoadResult } from './load-worker.js';
import type { OpenLoopRequest, OpenLoopResult } from './open-loop.js';
import { askWorker } from './support.js';

/** The benchmarks' side of the load-generator thread (load-worker.ts). */
export class LoadClient {
  private constructor(private readonly worker: Worker) {}

  static start(): LoadClient {
    return new LoadClient(new Worker(new URL('./load-worker.js', import.meta.url)));
  }

  /** A closed loop: autocannon's connections, each sending its next request once answered. */
  run(request: LoadRequest): Promise<LoadResult> {
    return askWorker<LoadResult>(this.worker, request, 'load worker');
  }

  /** An open loop: a fixed arrival rate (open-loop.ts). */
  runOpen(request: Omit<OpenLoopRequest, 'kind'>): Promise<OpenLoopResult> {
    return askWorker<OpenLoopResult>(this.worker, { ...request, kind: 'open' }, 'load worker');
  }

  async stop(): Promise<void> {
    const exited = once(this.worker, 'exit');
    this.worker.postMessage('exit');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, 5000, 'timeout')));
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') await this.worker.terminate();
  }
}
