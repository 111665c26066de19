/**
 * Labels kept in the browser's IndexedDB (database "curvelab", store "labels"): one record
 * per label holding the core's JSONL line as is, in the order answered or imported. Every
 * write is one transaction with strict durability, awaited before the page moves on, so a
 * reload, a crash or a closed tab loses nothing already answered, and an import either
 * lands whole or not at all. The anonymous annotator id lives in the "meta" store.
 */

const DB_NAME = 'curvelab';
const DB_VERSION = 1;

interface LabelRecord {
  seq?: number;
  id: string;
  line: string;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

/** 128 random bits as a UUID v4 (crypto.randomUUID needs a secure context; this does not). */
export function randomId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The id a label line carries (the core wrote it; this only reads it back). */
function idOf(line: string): string {
  return (JSON.parse(line) as { id: string }).id;
}

export class LabelsStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<LabelsStore> {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      const labels = db.createObjectStore('labels', { keyPath: 'seq', autoIncrement: true });
      labels.createIndex('id', 'id', { unique: true });
      db.createObjectStore('meta', { keyPath: 'key' });
    };
    return new LabelsStore(await request(open));
  }

  private tx(stores: string[], mode: IDBTransactionMode): IDBTransaction {
    return this.db.transaction(stores, mode, { durability: 'strict' });
  }

  /** The anonymous annotator id of this browser, made on first use. */
  async annotator(): Promise<string> {
    const tx = this.tx(['meta'], 'readwrite');
    const meta = tx.objectStore('meta');
    const found = (await request(meta.get('annotator'))) as { key: string; value: string } | undefined;
    let id = found?.value;
    if (!id) {
      id = `anon-${randomId()}`;
      meta.put({ key: 'annotator', value: id });
    }
    await done(tx);
    return id;
  }

  /** Every stored label line, oldest first. */
  async lines(): Promise<string[]> {
    const tx = this.tx(['labels'], 'readonly');
    const records = (await request(tx.objectStore('labels').getAll())) as LabelRecord[];
    await done(tx);
    return records.map((r) => r.line);
  }

  async jsonl(): Promise<string> {
    const lines = await this.lines();
    return lines.length ? `${lines.join('\n')}\n` : '';
  }

  /** Appends label lines in one transaction: all are stored, or none (then it throws). */
  async append(lines: string[]): Promise<void> {
    if (!lines.length) return;
    const tx = this.tx(['labels'], 'readwrite');
    const store = tx.objectStore('labels');
    for (const line of lines) {
      store.add({ id: idOf(line), line } satisfies LabelRecord);
    }
    await done(tx);
  }

  async clear(): Promise<void> {
    const tx = this.tx(['labels'], 'readwrite');
    tx.objectStore('labels').clear();
    await done(tx);
  }
}
