import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { DataSource } from 'typeorm';
import { projections, rebuildProjections, type RebuildProgress } from '#read-models';
import { APPEND_LIMITS, LOG_START, type EventStore, type LogCursor, type NewEvent, type StreamAppend } from '#event-store';

/**
 * A backup is NDJSON: a header line, one line per event in log order (id, stream, revision,
 * type, data, metadata, exactly as stored), and a trailer line with the count and the SHA-256 of
 * every byte before it. Log positions are not kept: they belong to the cluster that assigned them.
 */
export const BACKUP_FORMAT = 'commitment-tracker-events';
export const BACKUP_VERSION = 1;

interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: number;
  readonly createdAt: string;
}
interface BackupTrailer {
  readonly end: true;
  readonly events: number;
  readonly sha256: string;
}
export interface BackedUpEvent extends NewEvent {
  readonly streamId: string;
  readonly revision: number;
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export type Progress = (events: number, total?: number) => void;

const READ_PAGE = 1000;
/** How long a backup waits for transactions still running elsewhere before it reads the log. */
const SETTLE_TIMEOUT_MS = 60_000;

/** Writes the whole log (as the store holds it, not upcast) to `path`; returns how many events. */
export async function writeBackup(
  store: EventStore,
  path: string,
  now: Date,
  progress: Progress = () => undefined,
): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx' });
  const hash = createHash('sha256');
  const write = async (line: string) => {
    hash.update(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  let count = 0;
  try {
    const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now.toISOString() };
    await write(`${JSON.stringify(header)}\n`);
    // Everything committed before the backup began is in it, whatever runs elsewhere meanwhile.
    await store.settled(SETTLE_TIMEOUT_MS);
    let after: LogCursor = LOG_START;
    for (;;) {
      const page = await store.readAll({ after, maxCount: READ_PAGE });
      if (page.events.length === 0) break;
      for (const { id, streamId, revision, type, data, metadata } of page.events) {
        await write(`${JSON.stringify({ id, streamId, revision, type, data, metadata } satisfies BackedUpEvent)}\n`);
      }
      count += page.events.length;
      after = page.next;
      progress(count);
    }
    const trailer: BackupTrailer = { end: true, events: count, sha256: hash.digest('hex') };
    out.end(`${JSON.stringify(trailer)}\n`);
    await finished(out);
    return count;
  } catch (error) {
    out.destroy();
    throw error;
  }
}

/** Every line of the file but the trailer, with the trailer checked against them. Throws a BackupError when it does not hold. */
async function* linesOf(path: string): AsyncGenerator<string, BackupTrailer> {
  const hash = createHash('sha256');
  let previous: string | undefined;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (previous !== undefined) {
      hash.update(`${previous}\n`);
      yield previous;
    }
    previous = line;
  }
  const trailer = parse(previous ?? '', 'the last line') as Partial<BackupTrailer>;
  if (trailer.end !== true || typeof trailer.sha256 !== 'string' || typeof trailer.events !== 'number') {
    throw new BackupError(`${path} has no trailer line: the backup is incomplete`);
  }
  const actual = hash.digest('hex');
  if (actual !== trailer.sha256) {
    throw new BackupError(
      `${path} does not match its checksum (sha256 ${actual}, the trailer says ${trailer.sha256}): it is damaged`,
    );
  }
  return trailer as BackupTrailer;
}

/** Reads the whole file once and checks its checksum and header; returns how many events it holds. */
export async function verifyBackup(path: string): Promise<number> {
  const lines = linesOf(path);
  let count = -1;
  let first: string | undefined;
  for (;;) {
    const next = await lines.next();
    if (next.done) {
      if (first === undefined) throw new BackupError(`${path} is empty`);
      checkHeader(first, path);
      if (count !== next.value.events) {
        throw new BackupError(`${path} holds ${count} events, its trailer says ${next.value.events}`);
      }
      return count;
    }
    first ??= next.value;
    count++;
  }
}

/**
 * Loads a verified backup into an empty store, keeping every event's id, stream, revision, type,
 * data and metadata. Consecutive events of a stream go in one append, several appends per call.
 */
export async function restoreBackup(store: EventStore, path: string, progress: Progress = () => undefined): Promise<number> {
  const total = await verifyBackup(path);
  await store.settled(SETTLE_TIMEOUT_MS);
  const [existing] = (await store.readAll({ after: LOG_START, maxCount: 1 })).events;
  if (existing) {
    throw new BackupError(
      `the event store is not empty (it holds stream ${existing.streamId}): a backup is restored only into an empty store`,
    );
  }
  const lines = linesOf(path);
  await lines.next(); // the header, checked by verifyBackup
  let restored = 0;
  let batch: (StreamAppend & { events: NewEvent[]; lastRevision: number })[] = [];
  let batchSize = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await store.appendMany(batch.map(({ streamId, events, expectedRevision }) => ({ streamId, events, expectedRevision })));
    restored += batchSize;
    progress(restored, total);
    batch = [];
    batchSize = 0;
  };
  for (let next = await lines.next(), line = 2; !next.done; next = await lines.next(), line++) {
    const { id, type, data, metadata, streamId, revision } = parse(next.value, `line ${line}`) as BackedUpEvent;
    if (!Number.isSafeInteger(revision) || revision < 0) throw new BackupError(`line ${line}: revision must be a whole number`);
    const last = batch.at(-1);
    if (last?.streamId === streamId && last.lastRevision === revision - 1 && last.events.length < APPEND_LIMITS.eventsPerAppend) {
      last.events.push({ id, type, data, metadata });
      last.lastRevision = revision;
    } else {
      if (batchSize >= READ_PAGE) await flush();
      const expectedRevision = revision === 0 ? 'no_stream' : revision - 1;
      batch.push({ streamId, expectedRevision, events: [{ id, type, data, metadata }], lastRevision: revision });
    }
    batchSize++;
  }
  await flush();
  // Restored means readable: a transaction running elsewhere in the cluster would otherwise hide
  // the tail of the log from whatever reads it next (the rebuild that follows, or a check).
  await store.settled(SETTLE_TIMEOUT_MS);
  return restored;
}

/**
 * Every read model rebuilt from the (restored) log: log positions differ between clusters, so no
 * checkpoint carries over. The tables are emptied and the checkpoints forgotten in one
 * transaction (nothing serves them yet), then the log is read once for all of them, folded and
 * loaded into fresh tables that are swapped in (see `rebuildProjections`).
 */
export async function rebuildReadModels(
  dataSource: DataSource,
  store: EventStore,
  progress: (progress: RebuildProgress) => void = () => undefined,
): Promise<void> {
  await store.settled(SETTLE_TIMEOUT_MS);
  await dataSource.transaction(async (manager) => {
    await manager.query(`truncate ${projections.flatMap((projection) => projection.tables).join(', ')}`);
    await manager.query('delete from projection_checkpoints where projection = any($1)', [
      projections.map((projection) => projection.name),
    ]);
  });
  await rebuildProjections(dataSource, store, projections, { onProgress: progress });
}

function checkHeader(line: string, path: string): void {
  const header = parse(line, 'the first line') as Partial<BackupHeader>;
  if (header.format !== BACKUP_FORMAT) throw new BackupError(`${path} is not a backup of this tracker's events`);
  if (header.version !== BACKUP_VERSION) {
    throw new BackupError(`${path} is backup format version ${header.version}; this code reads version ${BACKUP_VERSION}`);
  }
}

function parse(line: string, where: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new BackupError(`${where} of the backup is not JSON`);
  }
}
