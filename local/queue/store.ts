/**
 * The SQLite layer: schema and prepared statements, nothing else. One row per message; a message
 * "moves" between queues by changing its `queue` column, so ids, bodies and timestamps survive.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';

const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS queues (
  name TEXT PRIMARY KEY,
  visibility_timeout_s INTEGER NOT NULL,
  max_receive_count INTEGER,
  dead_letter_queue TEXT,
  retention_s INTEGER NOT NULL,
  delay_s INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- seq is the rowid (no AUTOINCREMENT: it costs a write per insert). Receipt handles embed it,
-- so delete and changeVisibility find a message by primary key without an index of their own.
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  md5_body TEXT NOT NULL,
  attrs TEXT,
  md5_attrs TEXT,
  sent_at INTEGER NOT NULL,
  -- Retention counts from here; differs from sent_at only after a redrive back to a source queue.
  enqueued_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_received_at INTEGER,
  received_at INTEGER,
  receipt_handle TEXT,
  dlq_source TEXT,
  -- 1 once ChangeMessageVisibility set the message's time (a retry's backoff): no longer merely held by its receiver.
  deferred INTEGER NOT NULL DEFAULT 0
);
-- Receive scans this in (visible_at, rowid) order, which is also the next-visible lookup for long polls.
CREATE INDEX IF NOT EXISTS messages_ready ON messages(queue, visible_at);
`;

export interface QueueRow {
  name: string;
  visibility_timeout_s: number;
  max_receive_count: number | null;
  dead_letter_queue: string | null;
  retention_s: number;
  delay_s: number;
}

export interface MessageRow {
  seq: number;
  message_id: string;
  body: string;
  md5_body: string;
  attrs: string | null;
  md5_attrs: string | null;
  sent_at: number;
  enqueued_at: number;
  receive_count: number;
  first_received_at: number | null;
  dlq_source: string | null;
}

export interface InsertParams {
  queue: string;
  message_id: string;
  body: string;
  md5_body: string;
  attrs: string | null;
  md5_attrs: string | null;
  sent_at: number;
  visible_at: number;
}

export class QueueStore {
  readonly db: Db;
  readonly upsertQueue: Statement<[QueueRow & { now: number }]>;
  readonly selectQueues: Statement<[], QueueRow>;
  readonly insert: Statement<[InsertParams]>;
  readonly selectReady: Statement<[string, number, number], MessageRow>;
  readonly claim: Statement<[{ seq: number; now: number; visible_at: number; handle: string }]>;
  readonly deadLetter: Statement<[{ seq: number; dlq: string; now: number; source: string }]>;
  readonly deleteSeq: Statement<[number]>;
  readonly deleteByHandle: Statement<[number, string, string]>;
  readonly selectByHandle: Statement<[number, string, string], { visible_at: number; received_at: number | null }>;
  readonly setVisibleAt: Statement<[number, number]>;
  readonly releaseHeld: Statement<[{ queue: string; now: number }]>;
  readonly expire: Statement<[string, number]>;
  readonly purge: Statement<[string]>;
  readonly nextVisibleAt: Statement<[string, number], { at: number | null }>;
  readonly stats: Statement<
    [{ queue: string; now: number }],
    { visible: number | null; in_flight: number | null; delayed: number | null; total: number }
  >;
  readonly maxSeq: Statement<[string], { seq: number | null }>;
  readonly countUpTo: Statement<[string, number], { n: number }>;
  readonly countUnroutable: Statement<[string, number], { n: number }>;
  readonly selectMoveChunk: Statement<[string, number, number], { seq: number; dlq_source: string | null }>;
  /** A redriven message is a new message to SQS: new messageId, receive count and retention. */
  readonly redrive: Statement<[{ seq: number; dest: string; now: number; messageId: string }]>;

  constructor(file: string) {
    this.db = new Database(file);
    // WAL lets readers and the writer overlap and makes commits cheap; NORMAL sync survives a
    // process crash (all local mode needs), trading only durability on power loss.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // A backlog's hot pages (index head, recent rows) should stay in memory: 32 MiB page cache.
    this.db.pragma('cache_size = -32768');
    this.migrate();
    const db = this.db;
    this.upsertQueue = db.prepare(`
      INSERT INTO queues (name, visibility_timeout_s, max_receive_count, dead_letter_queue, retention_s, delay_s, created_at, updated_at)
      VALUES (@name, @visibility_timeout_s, @max_receive_count, @dead_letter_queue, @retention_s, @delay_s, @now, @now)
      ON CONFLICT (name) DO UPDATE SET visibility_timeout_s = excluded.visibility_timeout_s,
        max_receive_count = excluded.max_receive_count, dead_letter_queue = excluded.dead_letter_queue,
        retention_s = excluded.retention_s, delay_s = excluded.delay_s, updated_at = excluded.updated_at`);
    this.selectQueues = db.prepare(
      'SELECT name, visibility_timeout_s, max_receive_count, dead_letter_queue, retention_s, delay_s FROM queues ORDER BY name',
    );
    this.insert = db.prepare(`
      INSERT INTO messages (queue, message_id, body, md5_body, attrs, md5_attrs, sent_at, enqueued_at, visible_at)
      VALUES (@queue, @message_id, @body, @md5_body, @attrs, @md5_attrs, @sent_at, @sent_at, @visible_at)`);
    this.selectReady = db.prepare(`
      SELECT seq, message_id, body, md5_body, attrs, md5_attrs, sent_at, enqueued_at, receive_count, first_received_at, dlq_source
      FROM messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?`);
    this.claim = db.prepare(`
      UPDATE messages SET receive_count = receive_count + 1, first_received_at = COALESCE(first_received_at, @now),
        received_at = @now, visible_at = @visible_at, receipt_handle = @handle, deferred = 0 WHERE seq = @seq`);
    this.deadLetter = db.prepare(`
      UPDATE messages SET queue = @dlq, visible_at = @now, receipt_handle = NULL, received_at = NULL, dlq_source = @source
      WHERE seq = @seq`);
    this.deleteSeq = db.prepare('DELETE FROM messages WHERE seq = ?');
    this.deleteByHandle = db.prepare('DELETE FROM messages WHERE seq = ? AND receipt_handle = ? AND queue = ?');
    this.selectByHandle = db.prepare(
      'SELECT visible_at, received_at FROM messages WHERE seq = ? AND receipt_handle = ? AND queue = ?',
    );
    this.setVisibleAt = db.prepare('UPDATE messages SET visible_at = ?, deferred = 1 WHERE seq = ?');
    this.releaseHeld = db.prepare(`
      UPDATE messages SET visible_at = @now
      WHERE queue = @queue AND visible_at > @now AND receipt_handle IS NOT NULL AND deferred = 0`);
    this.expire = db.prepare('DELETE FROM messages WHERE queue = ? AND enqueued_at <= ?');
    this.purge = db.prepare('DELETE FROM messages WHERE queue = ?');
    this.nextVisibleAt = db.prepare('SELECT MIN(visible_at) AS at FROM messages WHERE queue = ? AND visible_at > ?');
    this.stats = db.prepare(`
      SELECT SUM(visible_at <= @now) AS visible,
             SUM(visible_at > @now AND receive_count > 0) AS in_flight,
             SUM(visible_at > @now AND receive_count = 0) AS delayed,
             COUNT(*) AS total
      FROM messages WHERE queue = @queue`);
    this.maxSeq = db.prepare('SELECT MAX(seq) AS seq FROM messages WHERE queue = ?');
    this.countUpTo = db.prepare('SELECT COUNT(*) AS n FROM messages WHERE queue = ? AND seq <= ?');
    this.countUnroutable = db.prepare(`
      SELECT COUNT(*) AS n FROM messages WHERE queue = ? AND seq <= ?
        AND (dlq_source IS NULL OR dlq_source NOT IN (SELECT name FROM queues))`);
    this.selectMoveChunk = db.prepare(
      'SELECT seq, dlq_source FROM messages WHERE queue = ? AND seq <= ? ORDER BY seq LIMIT ?',
    );
    this.redrive = db.prepare(`
      UPDATE messages SET queue = @dest, message_id = @messageId, receive_count = 0, first_received_at = NULL, received_at = NULL,
        receipt_handle = NULL, dlq_source = NULL, visible_at = @now, enqueued_at = @now WHERE seq = @seq`);
  }

  close(): void {
    this.db.close();
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `Queue database schema version ${version} is newer than this docuhook understands (${SCHEMA_VERSION}).`,
      );
    }
    this.db.exec(SCHEMA);
    // Version 1 files lack `deferred`: added as 0, their in-flight messages count as held by their
    // receiver (a backoff set before the upgrade may end early, once).
    const columns = this.db.pragma('table_info(messages)') as { name: string }[];
    if (!columns.some((c) => c.name === 'deferred'))
      this.db.exec('ALTER TABLE messages ADD COLUMN deferred INTEGER NOT NULL DEFAULT 0');
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
}
