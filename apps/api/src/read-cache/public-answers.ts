import type { OutgoingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { ReadModelChange } from '#read-models';

/** A public answer as it was sent: kept whole, so a hit sends the same bytes without running anything. */
export interface KeptAnswer {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  /** As drawn, or gzip-compressed once it has been (off the event loop, after it was kept). */
  readonly body: Buffer;
  readonly encoding: 'identity' | 'gzip';
  /** The route pattern that drew it (`/commitments/:commitmentId`), for the request metrics of a hit. */
  readonly route: string | null;
  /** The streams whose events it was drawn from; `null`: any change to the read models may change it. */
  readonly readsFrom: readonly string[] | null;
  /** The change count when it began to be drawn: a change announced after that makes it stale. */
  readonly drawnAt: number;
  readonly keptAtMs: number;
}

/** What a reader who missed gets while another request draws its answer: that answer, or its turn to draw. */
export type Turn = { readonly answer: KeptAnswer } | { readonly draw: (kept?: KeptAnswer) => void };

/** An answer being drawn: the change count when it began, and what it comes to (nothing if not a keepable 200). */
interface Drawing {
  readonly drawnAt: number;
  readonly answer: Promise<KeptAnswer | undefined>;
}

export interface PublicAnswersOptions {
  /** Bytes kept at most (bodies and headers); 0 turns the cache off. */
  readonly maxBytes: number;
  /** However quiet the log, an answer is drawn again after this long (a lost notice cannot pin it). */
  readonly maxAgeMs: number;
}

export interface PublicAnswersStats {
  readonly hits: number;
  readonly misses: number;
  readonly kept: number;
  readonly bytes: number;
}

/**
 * Public answers kept in memory, and dropped exactly when a projection announces it applied an
 * event of a stream they were drawn from (or any event, for answers drawn from every row: lists,
 * the dashboard, feeds). Every change bumps one counter; an answer remembers the count when it
 * began to be drawn, so one drawn while a change was being applied is never kept as fresh.
 */
export class PublicAnswers {
  private changes = 0;
  /** The count at the last change of any stream, and at the last change that may have touched anything. */
  private lastChange = 0;
  private lastChangeOfAll = 0;
  private readonly streamChangedAt = new Map<string, number>();
  private readonly kept: LRUCache<string, KeptAnswer> | null;
  private hits = 0;
  private misses = 0;
  private readonly drawingNow = new Map<string, Drawing>();

  constructor(private readonly options: PublicAnswersOptions) {
    this.kept =
      options.maxBytes > 0
        ? new LRUCache<string, KeptAnswer>({
            maxSize: options.maxBytes,
            sizeCalculation: (answer, key) => answer.body.length + key.length + 512,
          })
        : null;
  }

  private paused = false;

  get enabled(): boolean {
    return this.kept !== null;
  }

  /** Nothing is served or kept until `resume`: changes may be missed meanwhile. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Before drawing an answer: the count it is kept under. */
  drawing(): number {
    return this.changes;
  }

  changed(change: ReadModelChange): void {
    this.changes++;
    this.lastChange = this.changes;
    if (change.streamIds === null) this.lastChangeOfAll = this.changes;
    else for (const streamId of change.streamIds) this.streamChangedAt.set(streamId, this.changes);
  }

  /** Everything kept is stale: a change may have been missed (the notices' connection dropped). */
  forgetAll(): void {
    this.changed({ projection: '', checkpoint: '' as ReadModelChange['checkpoint'], streamIds: null });
    this.kept?.clear();
  }

  find(key: string, nowMs: number): KeptAnswer | undefined {
    if (this.paused) {
      this.misses++;
      return undefined;
    }
    const answer = this.kept?.get(key);
    if (answer && this.fresh(answer, nowMs)) {
      this.hits++;
      return answer;
    }
    if (answer) this.kept!.delete(key);
    this.misses++;
    return undefined;
  }

  /** Whether it was kept: drawn across a change it depends on, it is sent but not kept. */
  keep(key: string, answer: KeptAnswer): boolean {
    if (!this.kept || this.paused || !this.fresh(answer, answer.keptAtMs)) return false;
    this.kept.set(key, answer);
    return true;
  }

  /**
   * The kept answer's body compressed: kept so from then on, in a fifth or less of the memory (a
   * reader who does not accept gzip gets it unpacked).
   */
  compressed(key: string, answer: KeptAnswer, gzipped: Buffer): void {
    if (this.kept?.peek(key) === answer) this.kept.set(key, { ...answer, body: gzipped, encoding: 'gzip' });
  }

  /**
   * For a reader who missed `key` while another request draws it: that answer, once drawn, if it
   * is fresh for this reader, or the turn to draw it (undefined when no one is drawing: draw it).
   * Fresh for a reader means fresh as a kept answer found when it arrived would be: no change it
   * depends on announced between the drawing's start and the reader's arrival (judged by the
   * last change of anything then, so a change after the reader arrived is concurrent with its
   * read and does not make it draw again). Of the readers an answer turns out stale for, the
   * first draws again and the others wait for that drawing, which began after every change they
   * know of: after a change, a popular answer is drawn once more, not once per waiting reader
   * (under a steady stream of changes, that herd redrew the dashboard hundreds of times a second).
   */
  drawnByAnother(key: string): Promise<Turn> | undefined {
    const drawing = this.drawingNow.get(key);
    return drawing && this.waitFor(key, drawing, this.lastChange);
  }

  private async waitFor(key: string, drawing: Drawing, lastChangeBefore: number): Promise<Turn> {
    const answer = await drawing.answer;
    if (answer && this.freshAsOf(answer, lastChangeBefore, Date.now())) return { answer };
    const newer = this.drawingNow.get(key);
    if (newer && newer !== drawing && newer.drawnAt >= this.lastChange) return this.waitFor(key, newer, this.lastChange);
    return { draw: this.drawingFor(key) };
  }

  /** This request draws `key`; call what it returns with what it drew for anyone, or nothing, when done. */
  drawingFor(key: string): (kept?: KeptAnswer) => void {
    let done!: (kept?: KeptAnswer) => void;
    const drawing: Drawing = { drawnAt: this.changes, answer: new Promise((resolve) => (done = resolve)) };
    this.drawingNow.set(key, drawing);
    return (kept) => {
      if (this.drawingNow.get(key) === drawing) this.drawingNow.delete(key);
      done(kept);
    };
  }

  stats(): PublicAnswersStats {
    return { hits: this.hits, misses: this.misses, kept: this.kept?.size ?? 0, bytes: this.kept?.calculatedSize ?? 0 };
  }

  /** Fresh for a reader who arrived when the last change was `lastChange`: none since its drawing began, or fresh now. */
  private freshAsOf(answer: KeptAnswer, lastChange: number, nowMs: number): boolean {
    if (nowMs - answer.keptAtMs > this.options.maxAgeMs) return false;
    return answer.drawnAt >= lastChange || this.fresh(answer, nowMs);
  }

  private fresh(answer: KeptAnswer, nowMs: number): boolean {
    if (nowMs - answer.keptAtMs > this.options.maxAgeMs) return false;
    if (answer.drawnAt < this.lastChangeOfAll) return false;
    if (answer.readsFrom === null) return answer.drawnAt >= this.lastChange;
    return answer.readsFrom.every((streamId) => (this.streamChangedAt.get(streamId) ?? 0) <= answer.drawnAt);
  }
}
