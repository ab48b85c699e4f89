import type { DatabaseHandle } from "@/db/client";
import type { Viewer } from "@/lib/access/users";
import { getDatabaseHandle } from "@/lib/platform/database";
import { getEnv } from "@/lib/platform/env";
import { describeForLog } from "@/lib/platform/errors";
import { byStamp, changedSince, type LiveRow, liveRowMatcher, liveRowsById, type LogFilters, type LogKind, type LogRow, logRowsSince, type Stamped, type StreamFrom } from "./logs";

/**
 * One watcher per app instance for the live logs. It alone reads what was written: on each
 * wake-up (a NOTIFY from the tables' statement triggers, or a poll) it reads the rows stamped since
 * its cursor through an index, once for the instance, and hands them to every open stream, which
 * filters them in memory for its viewer. A stream that opens replays what the watcher holds in
 * memory, or, before that, reads the viewer's own rows once (index-served). So the database's work
 * per new row does not grow with the number of open pages; each instance has its own listener.
 */
export const LIVE_LOG_CHANNEL = "postline_live_log";
/** Rows are read again this far back of the cursor: a transaction stamps its rows when it begins and may commit later. */
export const OVERLAP_MS = 3_000;
/** How long the watcher keeps rows in memory, so that a stream that ends and resumes replays them without a query. */
const KEEP_MS = 30_000;
const KEEP_ROWS = 5_000;
/** A watcher that starts holds this much of the past: a page resumes from a cursor a few seconds old. */
const START_BACK_MS = 15_000;
const READ_PAGE = 500;
const CATCH_UP_PAGE = 200;
const CATCH_UP_MAX_ROWS = 2_000;
/** Reads are at least this far apart, however many notifications come: a stream sends no oftener (STREAM_FLUSH_MS below). */
const MIN_GAP_MS = 500;
/**
 * Between reads of the whole overlap, a read starts just after the newest row already read: the
 * overlap (which every row is read again in) is read at most this often, so a row a transaction
 * committed late shows within about this long, and the rest within MIN_GAP_MS.
 */
const OVERLAP_READ_MS = 1_000;
/** A read now and then in case a notification was lost (each reconnect of the listener also reads). */
const SAFETY_POLL_MS = 5_000;
/** Behind a transaction pooler LISTEN does not work: the watcher polls instead, still once per instance. */
const POLL_MS = 1_000;
/** The watcher keeps listening this long after its last stream closed, for the page that reconnects. */
const IDLE_STOP_MS = 30_000;
/** A resume cursor older than this is brought forward: a page asleep for longer misses rows older than it. */
const MAX_RESUME_MS = 5 * 60_000;
/**
 * A stream sends at most this often (a row after a quiet spell goes at once), and at most a page of
 * the Logs view each time: the newest rows, the others counted for the page to say. So what a
 * stream costs under a burst is bounded by what a reader can see, not by the traffic.
 */
export const STREAM_FLUSH_MS = 500;
export const STREAM_MAX_ROWS = 50;

type Handle = Pick<DatabaseHandle, "db" | "listen">;
export type WatchMode = "listen" | "poll";

type Follower = { kind: LogKind; deliver(rows: LiveRow[], position: string): void };
/** What a stream is handed: rows (their newest versions), the cursor to resume from, and how many newer-than-shown rows it left out. */
export type StreamDeliver = (rows: LogRow[], position: string, skipped: number) => void;

type KindState = {
  rows: LiveRow[];
  versions: Map<string, string>;
  /** The newest stamp read (PostgreSQL's text), or, before any row, when the watcher started. */
  position: string | null;
  /** Rows stamped from here on are all in `rows` (milliseconds since the epoch). */
  coveredFrom: number;
  ready: Promise<void> | null;
  reading: boolean;
  again: boolean;
  lastRead: number;
  /** When the overlap was last read whole, and the newest row (stamp and seq) read since. */
  lastOverlapRead: number;
  newest: { version: string; seq: number } | null;
  timer: ReturnType<typeof setTimeout> | null;
  overlapTimer: ReturnType<typeof setTimeout> | null;
};

export type WatcherCounters = { listeners: number; reads: number; wakeUps: number; followers: number };

export class LiveLogWatcher {
  private readonly followers = new Set<Follower>();
  private readonly kinds: Record<LogKind, KindState> = { incoming: emptyState(), outgoing: emptyState() };
  private stopListening: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;
  private poller: ReturnType<typeof setInterval> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly counters = { listeners: 0, reads: 0, wakeUps: 0 };

  constructor(
    private readonly handle: Handle,
    private readonly mode: WatchMode,
  ) {}

  /** Where a stream of `kind` that has had every row read so far resumes: the newest stamp read, or `since` if later. */
  positionOf(kind: LogKind, since: string): string {
    const position = this.kinds[kind].position;
    return position && Date.parse(position) > Date.parse(since) ? position : since;
  }

  /** What the watcher has done: LISTEN connections open (at most one), reads of the tables, wake-ups, open streams. */
  stats(): WatcherCounters {
    return { ...this.counters, followers: this.followers.size };
  }

  /**
   * Streams the viewer's rows of `kind` from `since` (a cursor) on: first those already written,
   * then each new or changed one as it is read. `deliver` gets them in paced batches, with the
   * position to resume from. Resolves, once the rows already written were delivered, to how to
   * stop (which sends what is still waiting first).
   */
  async follow(kind: LogKind, viewer: Viewer, filters: LogFilters, since: string, deliver: StreamDeliver): Promise<() => void> {
    const paced = pacedSink(deliver, Date.parse(since));
    const visibleOf = liveRowMatcher(viewer, filters);
    const sent = new Map<string, string>();
    const fresh = (live: { version: string; row: { id: string } }) => {
      if (sent.get(live.row.id) === live.version) return false;
      sent.set(live.row.id, live.version);
      return true;
    };
    let pending: { rows: LiveRow[]; position: string }[] | null = [];
    // Only the stream's first seconds can see a row twice (its catch-up, then the watcher reading
    // the same row): past them, the watcher never hands on a version twice, and `sent` is dropped.
    let dedupeUntil = Number.POSITIVE_INFINITY;
    const pass = (rows: LiveRow[], position: string) => {
      const deduping = Date.now() < dedupeUntil;
      if (!deduping && sent.size > 0) sent.clear();
      const visible: Stamped<LogRow>[] = [];
      for (const live of rows) {
        const row = visibleOf(live);
        if (row !== null && (!deduping || fresh(live))) visible.push({ version: live.version, seq: live.seq, row });
      }
      if (visible.length > 0) paced.push(visible, position);
    };
    const follower: Follower = { kind, deliver: (rows, position) => (pending ? pending.push({ rows, position }) : pass(rows, position)) };
    this.followers.add(follower);
    const stop = () => {
      paced.flush();
      this.unfollow(follower);
    };
    try {
      await this.start();
      const state = this.kinds[kind];
      await state.ready;
      // An idle watcher stops reading; read now what was written meanwhile.
      this.wake(kind);
      const sinceMs = Math.max(Date.parse(since) || Date.now(), Date.now() - MAX_RESUME_MS) - OVERLAP_MS;
      if (sinceMs >= state.coveredFrom) {
        pass(state.rows.filter((live) => Date.parse(live.version) >= sinceMs), state.position ?? since);
      } else {
        await this.catchUp(kind, viewer, filters, new Date(sinceMs), (rows, at) => {
          const visible = rows.filter(fresh);
          if (visible.length > 0) paced.push(visible, at);
        });
      }
      for (const batch of pending) pass(batch.rows, batch.position);
      pending = null;
      // A row the catch-up read may reach the watcher later: at the latest at its safety poll over the overlap.
      dedupeUntil = Date.now() + SAFETY_POLL_MS + OVERLAP_MS;
      return stop;
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** The viewer's rows from `since` read from the tables (index-served), for a cursor older than what the watcher holds. */
  private async catchUp(kind: LogKind, viewer: Viewer, filters: LogFilters, since: Date, deliver: (rows: Stamped<LogRow>[], position: string) => void) {
    let from: StreamFrom = { since };
    for (let read = 0; read < CATCH_UP_MAX_ROWS; read += CATCH_UP_PAGE) {
      const rows = await logRowsSince(this.handle.db, kind, viewer, filters, from, CATCH_UP_PAGE);
      if (rows.length === 0) return;
      const last = rows.at(-1)!;
      deliver(rows, last.version);
      if (rows.length < CATCH_UP_PAGE) return;
      from = { after: { version: last.version, seq: last.seq } };
    }
  }

  private unfollow(follower: Follower) {
    if (!this.followers.delete(follower) || this.followers.size > 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.stop(), IDLE_STOP_MS);
    this.idleTimer.unref?.();
  }

  private start(): Promise<void> {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (!this.starting) {
      this.starting = (async () => {
        if (this.mode === "listen") {
          this.stopListening = await this.handle.listen(LIVE_LOG_CHANNEL, (payload) => this.wake(payload === "outgoing" ? "outgoing" : "incoming"), () => {
            // (Re)connected: notifications sent while it was away are lost, so read.
            this.wake("incoming");
            this.wake("outgoing");
          });
          this.counters.listeners += 1;
        }
        this.poller = setInterval(() => {
          this.wake("incoming");
          this.wake("outgoing");
        }, this.mode === "listen" ? SAFETY_POLL_MS : POLL_MS);
        this.poller.unref?.();
        for (const kind of ["incoming", "outgoing"] as const) {
          const state = this.kinds[kind];
          state.ready = this.firstRead(kind, state);
        }
      })();
      this.starting.catch(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  /** Stops listening and forgets what it held; the next stream starts it again. */
  async stop() {
    if (this.followers.size > 0) return;
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    const unlisten = this.stopListening;
    this.stopListening = null;
    this.starting = null;
    for (const kind of ["incoming", "outgoing"] as const) {
      if (this.kinds[kind].timer) clearTimeout(this.kinds[kind].timer!);
      if (this.kinds[kind].overlapTimer) clearTimeout(this.kinds[kind].overlapTimer!);
      this.kinds[kind] = emptyState();
    }
    if (unlisten) {
      this.counters.listeners -= 1;
      await unlisten().catch(() => {});
    }
  }

  private async firstRead(kind: LogKind, state: KindState) {
    // This instance's clock against the database's stamps: START_BACK_MS also absorbs a small skew.
    const since = new Date(Date.now() - START_BACK_MS);
    state.coveredFrom = since.getTime();
    state.position = stampOf(since);
    await this.read(kind, state, { since });
  }

  private wake(kind: LogKind) {
    this.counters.wakeUps += 1;
    const state = this.kinds[kind];
    if (!state.ready || this.followers.size === 0) return;
    if (state.reading) {
      state.again = true;
      return;
    }
    if (state.timer) return;
    const wait = Math.max(0, state.lastRead + MIN_GAP_MS - Date.now());
    state.timer = setTimeout(() => {
      state.timer = null;
      void state.ready!.then(() => this.readOn(kind, state));
    }, wait);
  }

  private async readOn(kind: LogKind, state: KindState) {
    if (state !== this.kinds[kind]) return;
    if (state.reading) {
      state.again = true;
      return;
    }
    const now = Date.now();
    if (state.newest && now - state.lastOverlapRead < OVERLAP_READ_MS) {
      await this.read(kind, state, { after: state.newest });
      // The overlap follows within OVERLAP_READ_MS of this wake-up, whatever comes next: a row
      // committed late (stamped before the newest) was announced by this very notification.
      if (!state.overlapTimer) {
        state.overlapTimer = setTimeout(() => {
          state.overlapTimer = null;
          this.wake(kind);
        }, state.lastOverlapRead + OVERLAP_READ_MS - Date.now());
        state.overlapTimer.unref?.();
      }
      return;
    }
    const position = state.position ? Date.parse(state.position) : now;
    state.lastOverlapRead = now;
    await this.read(kind, state, { since: new Date(position - OVERLAP_MS) });
  }

  /** Reads what was written from `from` on (ids and stamps, then the new or changed rows by id) and hands it to the streams. */
  private async read(kind: LogKind, state: KindState, from: StreamFrom) {
    state.reading = true;
    state.again = false;
    state.lastRead = Date.now();
    try {
      let cursor: StreamFrom = from;
      for (;;) {
        this.counters.reads += 1;
        const changed = await changedSince(this.handle.db, kind, cursor, READ_PAGE);
        const wanted = changed.filter((c) => state.versions.get(c.id) !== c.version).map((c) => c.id);
        const rows = (await liveRowsById(this.handle.db, kind, wanted)).filter((row) => state.versions.get(row.row.id) !== row.version);
        if (state !== this.kinds[kind]) return;
        for (const row of rows) {
          state.versions.set(row.row.id, row.version);
          state.rows.push(row);
          if (!state.position || row.version > state.position) state.position = row.version;
        }
        if (rows.length > 0) {
          for (const follower of this.followers) {
            if (follower.kind !== kind) continue;
            // One stream's failure (its reader gone mid-write) must not keep the rows from the others.
            try {
              follower.deliver(rows, state.position!);
            } catch (error) {
              console.error("[postline] live log stream failed", describeForLog(error));
            }
          }
        }
        const last = changed.at(-1);
        if (last && (!state.newest || last.version > state.newest.version || (last.version === state.newest.version && last.seq > state.newest.seq))) {
          state.newest = { version: last.version, seq: last.seq };
        }
        if (changed.length < READ_PAGE) break;
        cursor = { after: { version: last!.version, seq: last!.seq } };
      }
      this.forgetOld(state);
    } catch (error) {
      console.error("[postline] live log read failed", describeForLog(error));
    } finally {
      state.reading = false;
      if (state.again) this.wake(kind);
    }
  }

  /** Keeps the last KEEP_MS (at most KEEP_ROWS rows) in memory; what is older is read from the tables if a stream asks. */
  private forgetOld(state: KindState) {
    const newest = state.position ? Date.parse(state.position) : Date.now();
    const keepFrom = newest - KEEP_MS;
    let drop = 0;
    while (drop < state.rows.length && (Date.parse(state.rows[drop].version) < keepFrom || state.rows.length - drop > KEEP_ROWS)) drop += 1;
    if (drop === 0) return;
    const dropped = state.rows.splice(0, drop);
    // Rows in the same millisecond as the last one dropped may be gone too.
    state.coveredFrom = Math.max(state.coveredFrom, Date.parse(dropped.at(-1)!.version) + 1, keepFrom);
    const forgetBefore = newest - OVERLAP_MS * 2;
    for (const row of dropped) if (Date.parse(row.version) < forgetBefore && state.versions.get(row.row.id) === row.version) state.versions.delete(row.row.id);
  }
}

/** Batches a stream's rows: at most one send per STREAM_FLUSH_MS, of the newest STREAM_MAX_ROWS; a row changed twice meanwhile goes once, as it is now. */
function pacedSink(deliver: StreamDeliver, sinceMs: number) {
  let waiting = new Map<string, Stamped<LogRow>>();
  let position = "";
  let lastSent = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (waiting.size === 0) return;
    lastSent = Date.now();
    let rows = [...waiting.values()];
    waiting = new Map();
    let skipped = 0;
    if (rows.length > STREAM_MAX_ROWS) {
      rows.sort(byStamp);
      const dropped = rows.slice(0, rows.length - STREAM_MAX_ROWS);
      rows = rows.slice(dropped.length);
      // Rows stamped before the reader's `since` are the overlap a stream resumes with, which the
      // page already shows: only newer ones are rows it missed (a reload on them came back to 100).
      skipped = dropped.filter((stamped) => !(Date.parse(stamped.version) < sinceMs)).length;
    }
    deliver(rows.map((stamped) => stamped.row), position, skipped);
  };
  return {
    push(rows: Stamped<LogRow>[], at: string) {
      for (const stamped of rows) {
        waiting.delete(stamped.row.id);
        waiting.set(stamped.row.id, stamped);
      }
      position = at;
      if (timer) return;
      const wait = lastSent + STREAM_FLUSH_MS - Date.now();
      if (wait <= 0) send();
      else timer = setTimeout(send, wait);
    },
    flush: send,
  };
}

/** A time as PostgreSQL writes a stamp here (microseconds), so that stamps compare as text. */
export function stampOf(date: Date): string {
  return date.toISOString().replace(/Z$/, "000Z");
}

function emptyState(): KindState {
  return { rows: [], versions: new Map(), position: null, coveredFrom: Number.POSITIVE_INFINITY, ready: null, reading: false, again: false, lastRead: 0, lastOverlapRead: 0, newest: null, timer: null, overlapTimer: null };
}

// One per process, kept on globalThis like the database handle (Next's bundles and dev reloads share it).
const globalForWatcher = globalThis as unknown as { __postlineLiveLog?: { handle: DatabaseHandle; watcher: LiveLogWatcher } };

/** The process's watcher, on the process's database: LISTEN, or polling behind a transaction pooler. */
export function getLiveLogWatcher(): LiveLogWatcher {
  const handle = getDatabaseHandle();
  if (globalForWatcher.__postlineLiveLog?.handle !== handle) {
    globalForWatcher.__postlineLiveLog = { handle, watcher: new LiveLogWatcher(handle, getEnv().DATABASE_URL && getEnv().DATABASE_POOLER ? "poll" : "listen") };
  }
  return globalForWatcher.__postlineLiveLog.watcher;
}
