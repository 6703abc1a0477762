import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The built entry points (the test command builds before jest runs). */
export const built = {
  api: join(process.cwd(), 'dist/apps/api/src/main.js'),
  tokensCli: join(process.cwd(), 'dist/apps/api/src/auth/tokens.cli.js'),
  projector: join(process.cwd(), 'dist/apps/projector/src/main.js'),
  projectionsCli: join(process.cwd(), 'dist/apps/projector/src/projections.cli.js'),
  importCli: join(process.cwd(), 'dist/apps/api/src/session-files/import.cli.js'),
  exportCli: join(process.cwd(), 'dist/apps/api/src/exports/export.cli.js'),
};

/** The test's environment without the servers CI points at, plus `env`: the embedded default. */
export function embeddedEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, EVENTSTORE_CONNECTION_STRING: _alsoIgnored, ...inherited } = process.env;
  return { ...inherited, ...env };
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Started {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<Exit>;
}

export function startNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForHealth(port: number, timeoutMs = 60000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/health`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
