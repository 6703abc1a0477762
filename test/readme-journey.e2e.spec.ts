import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { built, embeddedEnvironment, freePort, startNode, waitForHealth, type Started } from './support/processes.js';

/**
 * The README's commands, run as written with real curl through bash against the api as
 * `npm start` runs it: embedded database in a fresh DATA_DIR, the seed record loaded. Only the
 * address changes (localhost:3000 → the test's port). The journey section must work on a fresh
 * start; the reading, session-file and export examples on the seeded default.
 */

const run = promisify(execFile);

/** The text of a `## heading` section, up to the next one. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** The lines of its ```sh blocks. */
function shellLines(text: string): string[] {
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((match) => match[1]!.split('\n'));
}

/** Shell commands, each joined over its `\` continuations and open single quotes. */
function commands(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '' && line.trim() === '') continue;
    current = current === '' ? line : `${current}\n${line}`;
    const quotesOpen = (current.match(/'/g) ?? []).length % 2 === 1;
    if (!quotesOpen && !line.endsWith('\\')) {
      out.push(current);
      current = '';
    }
  }
  if (current !== '') throw new Error(`README command not closed: ${current}`);
  return out;
}

const curls = (text: string) => commands(shellLines(text)).filter((command) => command.startsWith('curl '));

describe('the README, run as written', () => {
  let dataDir: string;
  let curlHome: string;
  let port: number;
  let api: Started;
  let readme: string;
  let token: string;

  /** Runs one README command with bash and curl; curl's config (CURL_HOME) adds the status as a last line. */
  async function curl(command: string): Promise<{ status: number; body: string }> {
    const local = command.replaceAll('localhost:3000', `127.0.0.1:${port}`);
    const { stdout } = await run('bash', ['-c', local], {
      cwd: process.cwd(),
      env: { ...process.env, TOKEN: token, CURL_HOME: curlHome },
      maxBuffer: 64 * 1024 * 1024,
    });
    const at = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
  }

  beforeAll(async () => {
    readme = await readFile('README.md', 'utf8');
    dataDir = await mkdtemp(join(tmpdir(), 'tracker-readme-'));
    curlHome = await mkdtemp(join(tmpdir(), 'tracker-curl-'));
    await writeFile(join(curlHome, '.curlrc'), 'write-out = "\\n%{http_code}"\n');
    port = await freePort();
    // `npm start`: the defaults (seed record from data/sessions), only the port and DATA_DIR set.
    api = startNode(built.api, [], embeddedEnvironment({ PORT: String(port), DATA_DIR: dataDir }));
    expect((await waitForHealth(port)).status).toBe(200);
    // The seed record is in once its commitments read back.
    for (const deadline = Date.now() + 60_000; ;) {
      const seeded = await fetch(`http://127.0.0.1:${port}/commitments/ucoc-phase-2-start`);
      if (seeded.status === 200) break;
      if (Date.now() > deadline) throw new Error(`seed record not readable: ${seeded.status}\n${api.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // The token as the README makes it: its `npm run tokens -- …` line, through the built CLI.
    const tokenLine = shellLines(section(readme, 'Recording a first commitment')).find((line) =>
      line.startsWith('npm run tokens -- create'),
    );
    expect(tokenLine).toBeDefined();
    const args = tokenLine!
      .replace(/\s+#.*$/, '')
      .replace('npm run tokens -- ', '')
      .split(/\s+/);
    const { stdout } = await run(process.execPath, [built.tokensCli, ...args], {
      env: embeddedEnvironment({ DATA_DIR: dataDir }),
    });
    expect(stdout).toContain(`Token written to embedded database at ${join(dataDir, 'pglite')} (served by the running api).`);
    token = /^ctk_\S+$/m.exec(stdout)![0];
  }, 180_000);

  afterAll(async () => {
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
    await rm(curlHome, { recursive: true, force: true });
  });

  it('records the journey of "Recording a first commitment" on a fresh, seeded start', async () => {
    const journey = curls(section(readme, 'Recording a first commitment'));
    expect(journey).toHaveLength(3);
    const answers = [];
    for (const command of journey) {
      const answer = await curl(command);
      answers.push({ command: command.split('\n')[0], ...answer });
    }
    expect(answers.filter(({ status }) => status < 200 || status >= 300)).toEqual([]);
    expect(answers.map(({ body }) => (JSON.parse(body) as { events: string[] }).events)).toEqual([
      ['SessionRecorded'],
      ['CommitmentMade'],
      ['ProgressReported'],
    ]);
  }, 60_000);

  it('runs "Reads from memory" as written: the ETag it sends back is answered 304 Not Modified', async () => {
    const script = commands(shellLines(section(readme, 'Reads from memory')))
      .join('\n')
      .replaceAll('localhost:3000', `127.0.0.1:${port}`);
    expect(script).toContain('If-None-Match');
    const { stdout } = await run('bash', ['-c', script], { env: { ...process.env, CURL_HOME: curlHome } });
    expect(stdout).toMatch(/^HTTP\/1\.1 304 Not Modified/m);
  }, 60_000);

  it.each([
    'Reading: no account needed',
    'Session files: the record, written after each session',
    'Exports',
    'The pre-session brief',
  ])(
    'answers every curl example of "%s" with a 2xx on the seeded default',
    async (heading) => {
      const examples = curls(section(readme, heading));
      expect(examples.length).toBeGreaterThan(0);
      const results = [];
      for (const command of examples) {
        const { status, body } = await curl(command);
        results.push({ command, status, ...(status >= 300 ? { body: body.slice(0, 2000) } : {}) });
      }
      expect(results.filter(({ status }) => status < 200 || status >= 300)).toEqual([]);
    },
    60_000,
  );
});
