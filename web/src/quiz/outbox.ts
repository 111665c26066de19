/**
 * The outbox: sends this browser's answers to a collector (`curvelab serve`) when the page
 * has one: served by `curvelab serve` (which marks the page with a
 * `<meta name="curvelab-collector">` tag) or opened with `#collect=URL`. Without one the
 * page makes no request at all.
 *
 * Labels go to the labels store (IndexedDB) first, as always; the outbox never holds a
 * copy. It keeps, in its own IndexedDB database, which label ids the collector has
 * answered for (stored, duplicate or refused). Every label of this browser's annotator
 * that the collector has not answered for is waiting, so nothing is lost when the server
 * is down or the tab is closed: the next page to open sends it. Waiting labels are sent
 * in batches; a failure is retried with exponential back-off (1 s doubling to 15 s, with
 * jitter), and at once when the browser comes back online or the tab is shown again.
 * The collector checks every label with the core and is idempotent by id, so a batch sent
 * twice is stored once.
 */

const DB_NAME = 'curvelab-outbox';
const BATCH = 50;
const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 15000;

export interface OutboxState {
  /** Where labels are sent (the collector's /api/labels). */
  collector: string;
  /** Labels the collector has (stored now or before). */
  sent: number;
  /** Labels of this browser not yet acknowledged. */
  waiting: number;
  /** Labels the collector refused, with its reason (they are not sent again). */
  refused: { id: string; message: string }[];
  /** Why the last attempt failed, while labels wait; null after a success. */
  problem: string | null;
  /** When the next attempt is due (ms since the epoch), while labels wait after a failure. */
  retryAt: number | null;
}

interface Answered {
  key: string;
  collector: string;
  id: string;
  result: 'stored' | 'duplicate' | 'refused';
  message?: string;
}

interface LabelResult {
  index: number;
  id?: string;
  result: 'stored' | 'duplicate' | 'refused';
  message?: string;
}

/**
 * The collector's label endpoint for this page, or null: `#collect=URL` (the server's
 * address) wins over the tag a serving collector adds.
 */
export function collectorUrl(doc: Document, location: Location): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('collect');
  if (fromHash) {
    const base = new URL(fromHash, location.href);
    if (base.pathname.endsWith('/api/labels')) return base.href;
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return new URL('api/labels', base).href;
  }
  const tag = doc.querySelector<HTMLMetaElement>('meta[name="curvelab-collector"]');
  return tag?.content ? new URL(tag.content, location.href).href : null;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

export class Outbox {
  readonly state: OutboxState;
  private readonly answered = new Map<string, Answered>();
  private sending = false;
  private again = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(
    private readonly db: IDBDatabase,
    collector: string,
    private readonly lines: () => Promise<string[]>,
    private readonly annotator: string,
    private readonly onChange: (state: OutboxState) => void,
  ) {
    this.state = { collector, sent: 0, waiting: 0, refused: [], problem: null, retryAt: null };
  }

  /** Opens the outbox for `collector` and starts sending what waits. */
  static async open(
    collector: string,
    lines: () => Promise<string[]>,
    annotator: string,
    onChange: (state: OutboxState) => void,
  ): Promise<Outbox> {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('answered', { keyPath: 'key' }).createIndex('collector', 'collector');
    };
    const db = await request(open);
    const outbox = new Outbox(db, collector, lines, annotator, onChange);
    const tx = db.transaction('answered', 'readonly');
    const records = (await request(tx.objectStore('answered').index('collector').getAll(collector))) as Answered[];
    for (const r of records) outbox.answered.set(r.id, r);
    addEventListener('online', () => outbox.kick());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') outbox.kick();
    });
    outbox.kick();
    return outbox;
  }

  /** Sends what waits now (after a new answer, or when the network is back). */
  kick(): void {
    clearTimeout(this.timer);
    void this.flush();
  }

  private async waitingLines(): Promise<{ id: string; line: string }[]> {
    const waiting = [];
    for (const line of await this.lines()) {
      const { id, annotator } = JSON.parse(line) as { id: string; annotator: string };
      if (annotator === this.annotator && !this.answered.has(id)) waiting.push({ id, line });
    }
    return waiting;
  }

  private show(waiting: number): void {
    const all = [...this.answered.values()];
    this.state.sent = all.filter((a) => a.result !== 'refused').length;
    this.state.refused = all.filter((a) => a.result === 'refused').map((a) => ({ id: a.id, message: a.message ?? '' }));
    this.state.waiting = waiting;
    this.onChange(this.state);
  }

  private async flush(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      for (;;) {
        const waiting = await this.waitingLines();
        this.show(waiting.length);
        if (!waiting.length) {
          this.failures = 0;
          this.state.problem = null;
          this.state.retryAt = null;
          this.show(0);
          return;
        }
        const batch = waiting.slice(0, BATCH);
        const problem = await this.send(batch);
        if (problem) {
          this.retryLater(problem, waiting.length);
          return;
        }
        this.failures = 0;
        this.state.problem = null;
        this.state.retryAt = null;
      }
    } finally {
      this.sending = false;
      if (this.again) {
        this.again = false;
        void this.flush();
      }
    }
  }

  /** One batch: its results recorded, or the reason it has to be sent again. */
  private async send(batch: { id: string; line: string }[]): Promise<string | null> {
    let response: Response;
    try {
      response = await fetch(this.state.collector, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-ndjson' },
        body: `${batch.map((b) => b.line).join('\n')}\n`,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return 'the collector cannot be reached';
    }
    let reply: { results?: LabelResult[]; error?: string } = {};
    try {
      reply = (await response.json()) as typeof reply;
    } catch {
      return `the collector answered ${response.status} without JSON`;
    }
    if ((response.status !== 200 && response.status !== 422) || !Array.isArray(reply.results)) {
      return `the collector answered ${response.status}${reply.error ? `: ${reply.error}` : ''}`;
    }
    const tx = this.db.transaction('answered', 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('answered');
    for (const r of reply.results) {
      const sent = batch[r.index];
      if (!sent) continue;
      const record: Answered = {
        key: `${this.state.collector} ${sent.id}`,
        collector: this.state.collector,
        id: sent.id,
        result: r.result,
      };
      if (r.message !== undefined) record.message = r.message;
      store.put(record);
      this.answered.set(sent.id, record);
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    return null;
  }

  private retryLater(problem: string, waiting: number): void {
    this.failures += 1;
    const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1)) * (0.75 + Math.random() / 2);
    this.state.problem = problem;
    this.state.retryAt = Date.now() + delay;
    this.show(waiting);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }
}

/** The outbox's line in the labels panel: what is sent and what waits (text only). */
export function showOutbox(state: OutboxState): void {
  let p = document.getElementById('collector-status');
  if (!p) {
    p = document.createElement('p');
    p.id = 'collector-status';
    p.className = 'labels-status';
    p.setAttribute('role', 'status');
    document.getElementById('labels-total')?.after(p);
  }
  const host = new URL(state.collector).host;
  let text = `Collector ${host}: ${state.sent} sent, ${state.waiting} waiting`;
  if (state.refused.length) text += `, ${state.refused.length} refused (${state.refused[0]?.message ?? ''})`;
  text += '.';
  if (state.waiting && state.problem) {
    const seconds = state.retryAt ? Math.max(0, Math.round((state.retryAt - Date.now()) / 1000)) : 0;
    text += ` Kept in this browser; ${state.problem}, trying again in ${seconds} s.`;
  }
  p.textContent = text;
  p.dataset.sent = String(state.sent);
  p.dataset.waiting = String(state.waiting);
}
