/**
 * How long an answer computed at a position is kept for that position: bounds staleness where
 * the position stays put, as when a rebuild swaps in tables at the same position.
 */
export const KEPT_FOR_MS = 5000;

const KEPT_ANSWERS = 16;

interface Kept<Answer> {
  readonly answer: Promise<Answer>;
  /** The read model's checkpoint when the read began: the answer holds everything up to it. */
  readonly position: string;
  /** When the read began, by the api's clock. */
  readonly at: number;
  /** Order in which reads began (the clock may step back). */
  readonly order: number;
  done: boolean;
}

export interface Question<Answer> {
  /** What is asked, whatever the position (e.g. read model, day, asOf). */
  readonly key: string;
  /** False when the reader asked for a log position: then only an answer at least that recent will do. */
  readonly mayBeStale: boolean;
  /** The read model's current checkpoint. */
  position(): Promise<string>;
  read(): Promise<Answer>;
}

/**
 * Answers that depend only on the question and on how far their read model has applied the log,
 * kept under those: a burst of reads between two changes costs one query (and a checkpoint read),
 * and readers arriving while it runs share it. While a new answer is read, a reader that did not
 * ask for a position gets the previous one only if that was computed at the current position
 * (stale while revalidating, never staler than the read model); otherwise it waits.
 */
export class KeptAnswers<Answer> {
  private readonly answers = new Map<string, Kept<Answer>>();
  /** Per question whatever the position: the latest answer read to the end. */
  private readonly latest = new Map<string, Kept<Answer>>();
  private reads = 0;

  constructor(private readonly now: () => number) {}

  async get(question: Question<Answer>): Promise<Answer> {
    const now = this.now();
    // A clock that stepped back makes nothing fresh.
    const fresh = (kept: Kept<Answer>) => now - kept.at >= 0 && now - kept.at < KEPT_FOR_MS;
    const recent = this.latest.get(question.key);
    // Always at the read model's position: the public read cache in front keeps answers between
    // changes, and must never keep one from before a change it was told of.
    const position = await question.position();
    const key = `${position} ${question.key}`;
    let kept = this.answers.get(key);
    if (!kept || !fresh(kept)) kept = this.read(key, position, question, now);
    if (kept.done || !question.mayBeStale) return kept.answer;
    // Stale while revalidating only at the same position: an answer from before a change is never served past the bound.
    return recent?.position === position ? recent.answer : kept.answer;
  }

  private read(key: string, position: string, question: Question<Answer>, now: number): Kept<Answer> {
    const kept: Kept<Answer> = { answer: question.read(), position, at: now, order: ++this.reads, done: false };
    this.answers.delete(key);
    this.answers.set(key, kept);
    kept.answer.then(
      () => {
        kept.done = true;
        // A read that started earlier but ended later does not replace a newer answer.
        if ((this.latest.get(question.key)?.order ?? -Infinity) > kept.order) return;
        this.latest.delete(question.key);
        this.latest.set(question.key, kept);
        if (this.latest.size > KEPT_ANSWERS) this.latest.delete(this.latest.keys().next().value!);
      },
      () => {
        if (this.answers.get(key) === kept) this.answers.delete(key);
      },
    );
    if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return kept;
  }
}
