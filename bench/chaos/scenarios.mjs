// The four scenarios of the reliability harness. Each gets a fresh database, its own tracker and
// its own app process, and returns { counts, checks, notes }.
import { newClick, startApp } from "./app.mjs";
import { sendPostback, startLoad } from "./load.mjs";
import { Checks, countsLine, verifyDurability, waitForDrain } from "./verify.mjs";
import { log, median, seconds, sleep } from "./util.mjs";

function answerClasses(records) {
  const out = { "2xx": 0, "4xx": 0, "5xx": 0, refused: 0, timeout: 0, network: 0 };
  for (const r of records) {
    if (r.status >= 200 && r.status < 300) out["2xx"]++;
    else if (r.status >= 400 && r.status < 500) out["4xx"]++;
    else if (r.status >= 500) out["5xx"]++;
    else if (r.error === "ECONNREFUSED") out.refused++;
    else if (r.error === "TimeoutError" || r.error === "AbortError") out.timeout++;
    else out.network++;
  }
  return out;
}

function sample4xx(records) {
  const bad = records.filter((r) => r.status >= 400 && r.status < 500);
  return bad.length ? ` e.g. ${bad.slice(0, 3).map((r) => `${r.txid}: ${r.status} ${r.error}`).join("; ")}` : "";
}

/* ------------------------------------------------------------------------------------------ */
/* 1. SIGKILL during ingest load, then start again.                                           */
/* ------------------------------------------------------------------------------------------ */
export async function scenarioKill(ctx, cfg) {
  const checks = new Checks();
  const notes = [];
  const { app: first, sql, tracker, clickId } = ctx;
  const load = startLoad({ base: first.base, clickId, prefix: `kill-${ctx.run}`, concurrency: cfg.concurrency, maxRequests: cfg.maxRequests, timeoutMs: cfg.requestTimeoutMs });
  log(`scenario 1: ingest load, ${cfg.concurrency} concurrent postbacks, for ${cfg.loadSeconds} s before the kill`);
  await sleep(cfg.loadSeconds * 1000);
  const ackedBeforeKill = load.acknowledged();
  const killAt = Date.now();
  await first.kill("SIGKILL");
  log(`scenario 1: SIGKILL to the app's process group (pid ${first.pid}) after ${ackedBeforeKill} acknowledged postbacks`);
  const [orphans] = await sql`select count(*) filter (where state = 'pending')::int as pending, count(*)::int as total from deliveries`;
  notes.push(`at the kill: ${ackedBeforeKill} postbacks acknowledged; ${orphans.pending} of ${orphans.total} deliveries still pending in the outbox (their in-memory wake-ups and runs died with the process)`);

  const second = startApp({ port: first.port, env: ctx.env, logFile: ctx.logFile, label: "app (after the kill)" });
  ctx.app = second;
  const upAt = await second.ready();
  log(`scenario 1: app started again, answering after ${seconds(upAt - killAt)}; load goes on for ${cfg.loadAfterSeconds} s`);
  notes.push(`the app answered again ${seconds(upAt - killAt)} after the kill (same database, same port; the load kept running meanwhile)`);
  await sleep(cfg.loadAfterSeconds * 1000);
  const records = await load.stop();
  const inFlight = records.filter((r) => r.t0 < killAt && r.t1 >= killAt && !(r.status >= 200 && r.status < 300)).length;
  const ackedAfter = records.filter((r) => r.t0 >= upAt && r.status >= 200 && r.status < 300).length;
  notes.push(`requests cut by the kill (answer unknown to the sender): ${inFlight}; acknowledged after the restart: ${ackedAfter}`);

  log(`scenario 1: load stopped (${records.length} sent); waiting for the outbox to drain (the sweeper re-wakes orphaned deliveries)`);
  const drain = await waitForDrain(sql, tracker, Date.now() + cfg.drainSeconds * 1000, "scenario 1");
  notes.push(`outbox drained ${drain.drained ? `in ${drain.seconds.toFixed(1)} s after the load stopped` : `NOT within ${cfg.drainSeconds} s: ${JSON.stringify(drain)}`}`);
  for (const n of notes) process.stdout.write(`    · ${n}\n`);

  const classes = answerClasses(records);
  checks.add("the outbox drained in bounded time", drain.drained, `${drain.seconds.toFixed(1)} s`);
  checks.add("the restarted app acknowledged new postbacks", ackedAfter > 0, `${ackedAfter}`);
  checks.add("no valid postback answered 4xx", classes["4xx"] === 0, `${classes["4xx"]}${sample4xx(records)}`);
  checks.add("no 5xx answer (the database was up throughout)", classes["5xx"] === 0, `${classes["5xx"]}`);
  const { counts } = await verifyDurability({ sql, records, tracker, checks });
  return { checks, counts, notes };
}

/* ------------------------------------------------------------------------------------------ */
/* 2. PostgreSQL restarted during ingest load; the app is not restarted.                      */
/* ------------------------------------------------------------------------------------------ */
export async function scenarioPgRestart(ctx, cfg, server) {
  const checks = new Checks();
  const notes = [];
  const { app, sql, tracker, clickId } = ctx;
  const load = startLoad({ base: app.base, clickId, prefix: `pg-${ctx.run}`, concurrency: cfg.concurrency, maxRequests: cfg.maxRequests, timeoutMs: cfg.requestTimeoutMs });
  log(`scenario 2: ingest load, ${cfg.concurrency} concurrent postbacks, for ${cfg.loadSeconds} s before PostgreSQL goes down`);
  await sleep(cfg.loadSeconds * 1000);
  const ackedBefore = load.acknowledged();
  const restarts = [];
  for (let i = 1; i <= cfg.pgRestarts; i++) {
    if (i > 1) await sleep(cfg.pgBetweenSeconds * 1000);
    log(`scenario 2: restarting PostgreSQL (${server.restartLabel(cfg)}) under load${cfg.pgRestarts > 1 ? ` — restart ${i} of ${cfg.pgRestarts}` : ""}`);
    const restart = await server.restart(cfg.pgDownSeconds * 1000, cfg.pgStopMode);
    restarts.push(restart);
    log(`scenario 2: PostgreSQL answers again (${seconds(restart.upAt - restart.stopAt)} after the stop began)`);
  }
  const { stopAt } = restarts[0];
  const { upAt } = restarts.at(-1);
  log(`scenario 2: load goes on for ${cfg.pgAfterSeconds} s`);
  notes.push(
    `before the restart: ${ackedBefore} acknowledged; ${restarts
      .map((r, i) => `${cfg.pgRestarts > 1 ? `restart ${i + 1}: ` : ""}PostgreSQL restart (${server.restartLabel(cfg)}) began at +${((r.stopAt - stopAt) / 1000).toFixed(1)} s, down from +${((r.downAt - stopAt) / 1000).toFixed(1)} s, answering again at +${((r.upAt - stopAt) / 1000).toFixed(1)} s`)
      .join("; ")}`,
  );
  await sleep(cfg.pgAfterSeconds * 1000);
  const records = await load.stop();

  // After the restart, new postbacks must succeed without restarting the app.
  const probe = [];
  for (let i = 1; i <= cfg.probeCount; i++) probe.push(await sendPostback(app.base, clickId, `pg-${ctx.run}-probe-${i}`));

  // Steady state: once the driver's reconnect backoff is long over, the same load as before the
  // restart must be served as before — every postback acknowledged, none held for long. (A pool
  // left with connections that never come back shows here as postbacks held ~30 s, then 500.)
  await sleep(Math.max(0, upAt + cfg.pgSteadyAfterSeconds * 1000 - Date.now()));
  log(`scenario 2: steady-state load, ${cfg.concurrency} concurrent postbacks for ${cfg.pgSteadySeconds} s, starting ${seconds(Date.now() - upAt)} after PostgreSQL came back`);
  const steadyStart = Date.now();
  const steadyLoad = startLoad({ base: app.base, clickId, prefix: `pg-${ctx.run}-steady`, concurrency: cfg.concurrency, maxRequests: cfg.maxRequests, timeoutMs: 60_000 });
  await sleep(cfg.pgSteadySeconds * 1000);
  const steady = await steadyLoad.stop();
  const steadyFailed = steady.filter((r) => !(r.status >= 200 && r.status < 300));
  const steadySlow = steady.filter((r) => r.t1 - r.t0 > cfg.pgSteadyMaxMs);
  const latencies = (list) => list.map((r) => r.t1 - r.t0).sort((a, b) => a - b);
  const before = latencies(records.filter((r) => r.t1 < stopAt));
  const after = latencies(steady);
  const pct = (list, p) => (list.length ? list[Math.min(list.length - 1, Math.floor(list.length * p))] : NaN);
  const all = [...records, ...probe, ...steady];
  const firstOk = records.filter((r) => r.t0 >= upAt && r.status >= 200 && r.status < 300).sort((a, b) => a.t1 - b.t1)[0];
  const recovery = firstOk ? firstOk.t1 - upAt : null;
  const duringOutage = records.filter((r) => restarts.some((w) => r.t1 >= w.stopAt && r.t0 <= w.upAt));
  const outageClasses = answerClasses(duringOutage);
  const lateFailures = records.filter((r) => r.t0 >= upAt + cfg.pgRecoveryGraceSeconds * 1000 && !(r.status >= 200 && r.status < 300));
  const probeOk = probe.filter((r) => r.status >= 200 && r.status < 300).length;
  notes.push(`requests that overlapped the outage: ${duringOutage.length} (${Object.entries(outageClasses).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  const hung = records.filter((r) => r.status === 0 && (r.error === "TimeoutError" || r.error === "AbortError"));
  const slow = records.filter((r) => r.t1 - r.t0 > cfg.slowAnswerMs).sort((a, b) => a.t0 - b.t0);
  if (slow.length) {
    notes.push(
      `WARNING: ${slow.length} postbacks took more than ${cfg.slowAnswerMs / 1000} s to answer (the app held them; max ${seconds(Math.max(...slow.map((r) => r.t1 - r.t0)))}): ${slow
        .slice(0, 8)
        .map((r) => `sent at ${((r.t0 - stopAt) / 1000).toFixed(1)} s from the stop, ${r.status ? `${r.status}${r.result ? ` ${r.result}` : ""}` : r.error} after ${seconds(r.t1 - r.t0)}`)
        .join("; ")}`,
    );
  }
  if (hung.length) notes.push(`requests with no answer within ${cfg.requestTimeoutMs / 1000} s (sent at ${hung.slice(0, 8).map((r) => `${((r.t0 - stopAt) / 1000).toFixed(1)} s`).join(", ")} from the stop): ${hung.length}`);
  notes.push(`first postback acknowledged ${recovery === null ? "NEVER" : seconds(recovery)} after PostgreSQL answered again${cfg.pgRestarts > 1 ? " (the last time)" : ""}; probe after the load: ${probeOk}/${probe.length} acknowledged`);

  notes.push(
    `steady state from ${seconds(steadyStart - upAt)} after the restart: ${steady.length - steadyFailed.length}/${steady.length} acknowledged in ${cfg.pgSteadySeconds} s; latency p50 ${pct(after, 0.5)} ms, p99 ${pct(after, 0.99)} ms, max ${after.at(-1)} ms (before the restart: p50 ${pct(before, 0.5)} ms, p99 ${pct(before, 0.99)} ms, max ${before.at(-1)} ms, ${before.length} in ${cfg.loadSeconds} s)`,
  );
  if (steadyFailed.length || steadySlow.length) {
    const shown = [...steadyFailed, ...steadySlow.filter((r) => !steadyFailed.includes(r))].slice(0, 5);
    notes.push(`steady state: ${steadyFailed.length} not acknowledged, ${steadySlow.length} slower than ${cfg.pgSteadyMaxMs / 1000} s, e.g. ${shown.map((r) => `${r.status || r.error}${r.error && r.status ? ` ${r.error}` : ""} after ${seconds(r.t1 - r.t0)}`).join("; ")}`);
  }
  log(`scenario 2: load stopped (${all.length} sent); waiting for the outbox to drain`);
  const drain = await waitForDrain(sql, tracker, Date.now() + cfg.drainSeconds * 1000, "scenario 2");
  notes.push(`outbox drained ${drain.drained ? `in ${drain.seconds.toFixed(1)} s after the load stopped` : `NOT within ${cfg.drainSeconds} s: ${JSON.stringify(drain)}`}`);
  for (const n of notes) process.stdout.write(`    · ${n}\n`);

  const classes = answerClasses(all);
  checks.add("the app process was never restarted", app.alive, `pid ${app.pid} ${app.alive ? "still running" : "EXITED"}`);
  checks.add("postbacks acknowledged again after the restart", recovery !== null, recovery === null ? "none" : `first after ${seconds(recovery)}`);
  checks.add(`every postback sent ${cfg.pgRecoveryGraceSeconds} s or more after the restart succeeded`, lateFailures.length === 0, `${lateFailures.length} failed${lateFailures.length ? ` e.g. ${lateFailures.slice(0, 3).map((r) => `${r.status || r.error}`).join(", ")}` : ""}`);
  checks.add(`a probe of ${probe.length} postbacks after the load: all acknowledged`, probeOk === probe.length, `${probeOk}/${probe.length}`);
  checks.add(
    `steady state ${cfg.pgSteadyAfterSeconds} s after the restart: every postback acknowledged, none slower than ${cfg.pgSteadyMaxMs / 1000} s`,
    steadyFailed.length === 0 && steadySlow.length === 0,
    `${steady.length - steadyFailed.length}/${steady.length} acknowledged, ${steadySlow.length} slow, max ${seconds(after.at(-1) ?? 0)}`,
  );
  const held = records.filter((r) => r.t1 - r.t0 > cfg.heldMaxMs);
  const longest = Math.max(0, ...records.map((r) => r.t1 - r.t0));
  checks.add(
    `no postback held more than ${cfg.heldMaxMs / 1000} s across the outage (a 10 s connect timeout, then 503)`,
    held.length === 0,
    `${held.length} held longer; the longest answer took ${seconds(longest)}`,
  );
  checks.add("no valid postback answered 4xx (outage answers are 5xx or connection errors)", classes["4xx"] === 0, `${classes["4xx"]}${sample4xx(all)}`);
  checks.add("the outbox drained in bounded time", drain.drained, `${drain.seconds.toFixed(1)} s`);
  const { counts } = await verifyDurability({ sql, records: all, tracker, checks });
  counts.recoverySeconds = recovery === null ? null : recovery / 1000;
  return { checks, counts, notes };
}

/* ------------------------------------------------------------------------------------------ */
/* 3. The tracker down for two minutes, then back.                                            */
/* ------------------------------------------------------------------------------------------ */
export async function scenarioTrackerDown(ctx, cfg) {
  const checks = new Checks();
  const notes = [];
  const { app, sql, tracker, clickId } = ctx;
  const schedule = cfg.schedule;

  // A few postbacks with the tracker up: the path works, and the routes are warm.
  const warm = [];
  for (let i = 1; i <= 5; i++) warm.push(await sendPostback(app.base, clickId, `td-${ctx.run}-warm-${i}`));
  const warmDrain = await waitForDrain(sql, tracker, Date.now() + 30_000, "scenario 3 warm-up");
  checks.add("warm-up: 5 postbacks delivered with the tracker up", warmDrain.drained && tracker.receipts.length >= 5, `${tracker.receipts.length} receipts`);

  const downAt = Date.now();
  await tracker.down();
  log(`scenario 3: tracker DOWN (connections refused) for ${cfg.trackerDownSeconds} s; postbacks for the first ${cfg.trackerLoadSeconds} s of it`);
  const load = startLoad({ base: app.base, clickId, prefix: `td-${ctx.run}`, concurrency: cfg.trackerConcurrency, pauseMs: cfg.trackerPauseMs, maxRequests: cfg.maxRequests, timeoutMs: cfg.requestTimeoutMs });
  await sleep(cfg.trackerLoadSeconds * 1000);
  const loadRecords = await load.stop();
  log(`scenario 3: ${loadRecords.length} postbacks sent while the tracker is down; waiting for it to come back`);
  await sleep(Math.max(0, downAt + cfg.trackerDownSeconds * 1000 - Date.now()));
  const receiptsWhileDown = tracker.receipts.filter((r) => r.at >= downAt).length;
  await tracker.up();
  const upAt = Date.now();
  log(`scenario 3: tracker UP again after ${seconds(upAt - downAt)}; waiting for the retries`);
  const span = schedule.reduce((a, b) => a + b, 0);
  const drain = await waitForDrain(sql, tracker, upAt + span + 60_000, "scenario 3");
  const records = [...warm, ...loadRecords];
  notes.push(`retry schedule ${cfg.scheduleText} (attempts at +${schedule.reduce((acc, d, i) => [...acc, (acc[i - 1] ?? 0) + d], []).map((ms) => ms / 1000).join(", +")} s); tracker down ${seconds(upAt - downAt)}`);
  notes.push(`outbox drained ${drain.drained ? `${drain.seconds.toFixed(1)} s after the tracker came back` : `NOT within the schedule's span + 60 s: ${JSON.stringify(drain)}`}`);


  // The schedule, from the attempt log.
  const deliveries = await sql`select id, (extract(epoch from created_at) * 1000)::float8 as created_ms, state, attempts from deliveries`;
  const attempts = await sql`
    select delivery_id, attempt_number, ok, error_class, duration_ms, trigger,
           (extract(epoch from created_at) * 1000)::float8 as at_ms
    from delivery_attempts where delivery_id is not null order by delivery_id, created_at, attempt_number`;
  const byDelivery = new Map();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  const receiptAt = new Map();
  for (const r of tracker.receipts) if (!receiptAt.has(r.webhookId)) receiptAt.set(r.webhookId, r.at);
  const gapDeviations = schedule.map(() => []);
  const offSchedule = [];
  const sequenceProblems = [];
  const wrongOutcome = [];
  const receiptProblems = [];
  let maxAfterUp = 0;
  let retried = 0;
  const edge = cfg.scheduleEdgeMs;
  for (const d of deliveries) {
    const list = byDelivery.get(d.id) ?? [];
    const numbers = list.map((a) => a.attempt_number);
    if (list.length === 0 || numbers.some((n, i) => n !== i + 1)) {
      sequenceProblems.push(`${d.id}: attempts [${numbers.join(",")}]`);
      continue;
    }
    if (list.length > 1) retried++;
    let previousEnd = d.created_ms;
    list.forEach((a, i) => {
      const start = a.at_ms - a.duration_ms;
      const deviation = start - previousEnd - schedule[i];
      gapDeviations[i]?.push(deviation);
      if (deviation < -cfg.scheduleEarlyMs || deviation > cfg.scheduleLateMs) offSchedule.push(`${d.id} attempt ${a.attempt_number}: ${(deviation / 1000).toFixed(2)} s off the scheduled ${schedule[i] / 1000} s`);
      previousEnd = a.at_ms;
    });
    if (d.created_ms < downAt) continue; // warm-up: delivered before the outage
    const last = list.at(-1);
    const lastStart = last.at_ms - last.duration_ms;
    const failures = list.slice(0, -1);
    // Delivered at the first scheduled attempt after the tracker came back; every earlier attempt refused.
    if (!last.ok || lastStart < upAt - edge || failures.some((a) => a.ok || a.at_ms - a.duration_ms > upAt + edge || a.error_class !== "refused")) {
      wrongOutcome.push(`${d.id}: ${list.map((a) => `#${a.attempt_number} ${a.ok ? "ok" : a.error_class} at ${((a.at_ms - a.duration_ms - upAt) / 1000).toFixed(1)} s from up`).join("; ")}`);
    }
    maxAfterUp = Math.max(maxAfterUp, lastStart - upAt);
    const at = receiptAt.get(d.id);
    if (at === undefined || at < upAt || at < lastStart - edge || at > last.at_ms + edge) receiptProblems.push(`${d.id}: receipt ${at === undefined ? "missing" : `${((at - lastStart) / 1000).toFixed(2)} s from the attempt`}`);
  }
  const table = schedule
    .map((delay, i) => {
      const dev = gapDeviations[i];
      if (!dev.length) return null;
      return `      attempt ${i + 1}: scheduled ${String(delay / 1000).padStart(5)} s after ${i === 0 ? "the commit" : "the previous attempt"}; n=${String(dev.length).padStart(4)}; off by min ${(Math.min(...dev) / 1000).toFixed(2)} s, median ${(median(dev) / 1000).toFixed(2)} s, max ${(Math.max(...dev) / 1000).toFixed(2)} s`;
    })
    .filter(Boolean);
  notes.push(`${deliveries.length} deliveries, ${retried} retried, ${attempts.length} attempts logged; the last delivery landed ${seconds(maxAfterUp)} after the tracker came back (at most one schedule step: ${seconds(Math.max(...schedule))})`);
  for (const n of notes) process.stdout.write(`    · ${n}\n`);
  process.stdout.write(`    · attempt timing (attempt rows: start = created_at − duration_ms; tolerance −${cfg.scheduleEarlyMs / 1000} s / +${cfg.scheduleLateMs / 1000} s):\n${table.join("\n")}\n`);

  const classes = answerClasses(records);
  checks.add("the tracker received nothing while it was down", receiptsWhileDown === 0, `${receiptsWhileDown}`);
  checks.add("the outbox drained within the retry schedule's span", drain.drained, `${drain.seconds.toFixed(1)} s after the tracker came back`);
  checks.add("every postback was acknowledged (the tracker's outage does not reach ingest)", classes["2xx"] === records.length, JSON.stringify(classes));
  checks.add("attempt numbers 1..n per delivery, none made twice", sequenceProblems.length === 0, sequenceProblems.slice(0, 3).join("; "));
  checks.add("every attempt at its scheduled delay (within tolerance)", offSchedule.length === 0, `${offSchedule.length} off${offSchedule.length ? `: ${offSchedule.slice(0, 3).join("; ")}` : ""}`);
  checks.add("each delivery refused while down, delivered at the first scheduled attempt after the tracker came back", wrongOutcome.length === 0, `${wrongOutcome.length} otherwise${wrongOutcome.length ? `: ${wrongOutcome.slice(0, 2).join(" | ")}` : ""}`);
  checks.add("the tracker's receipt time matches the successful attempt", receiptProblems.length === 0, `${receiptProblems.length} otherwise${receiptProblems.length ? `: ${receiptProblems.slice(0, 3).join("; ")}` : ""}`);
  checks.add("no delivery landed later than one schedule step after the tracker came back", maxAfterUp <= Math.max(...schedule) + cfg.scheduleLateMs, seconds(maxAfterUp));
  const postbacks = await sql`select id, paused_at, paused_reason, consecutive_failures, enabled from outgoing_postbacks`;
  const paused = postbacks.filter((p) => p.paused_at || !p.enabled);
  checks.add("no outgoing postback paused (auto-pause after failed deliveries)", paused.length === 0, paused.length ? paused.map((p) => `${p.id}: ${p.paused_reason}`).join("; ") : `consecutive_failures ${postbacks.map((p) => p.consecutive_failures).join(",")}`);
  const { counts } = await verifyDurability({ sql, records, tracker, checks });
  counts.attempts = attempts.length;
  counts.retried = retried;
  return { checks, counts, notes };
}

/* ------------------------------------------------------------------------------------------ */
/* 4. The same postback 1,000 times at once.                                                  */
/* ------------------------------------------------------------------------------------------ */
export async function scenarioIdentical(ctx, cfg) {
  const checks = new Checks();
  const notes = [];
  const { app, sql, tracker } = ctx;
  const clickId = await newClick(app.base);
  const txid = `same-${ctx.run}`;
  log(`scenario 4: ${cfg.identical} identical postbacks at once (click ${clickId}, txid ${txid})`);
  const started = Date.now();
  const records = await Promise.all(Array.from({ length: cfg.identical }, () => sendPostback(app.base, clickId, txid, 120_000)));
  const tookMs = Date.now() - started;
  const drain = await waitForDrain(sql, tracker, Date.now() + 60_000, "scenario 4");
  await sleep(cfg.settleSeconds * 1000); // a late second copy would show up here
  const classes = answerClasses(records);
  const results = {};
  for (const r of records) if (r.status >= 200 && r.status < 300) results[r.result] = (results[r.result] ?? 0) + 1;
  const conversionIds = new Set(records.filter((r) => r.conversionId).map((r) => r.conversionId));
  const [conv] = await sql`select count(*)::int as n, min(id) as id from conversions where transaction_id = ${txid}`;
  const [events] = await sql`select count(*)::int as n from conversion_events e join conversions c on c.id = e.conversion_id where c.transaction_id = ${txid}`;
  const rows = await sql`select d.id, d.state from deliveries d join conversions c on c.id = d.conversion_id where c.transaction_id = ${txid}`;
  const receipts = tracker.receipts.filter((r) => r.tid === txid);
  const ids = new Set(receipts.map((r) => r.webhookId));
  notes.push(`all ${cfg.identical} answered in ${seconds(tookMs)}: ${Object.entries(classes).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(", ")}; results ${JSON.stringify(results)}`);
  notes.push(`database: ${conv.n} conversion, ${events.n} event, ${rows.length} delivery (${rows.map((r) => r.state).join(",")}); tracker: ${receipts.length} receipt(s), webhook-id ${[...ids].join(" ")}`);
  for (const n of notes) process.stdout.write(`    · ${n}\n`);

  checks.add(`all ${cfg.identical} answered 2xx`, classes["2xx"] === records.length, JSON.stringify(classes));
  checks.add("exactly one accepted, the rest duplicate", results.accepted === 1 && (results.duplicate ?? 0) === classes["2xx"] - 1, JSON.stringify(results));
  checks.add("every answer names the same conversion", conversionIds.size === 1 && conversionIds.has(conv.id), `${conversionIds.size} distinct ids`);
  checks.add("one conversion stored", conv.n === 1, `${conv.n}`);
  checks.add("one conversion event", events.n === 1, `${events.n}`);
  checks.add("exactly one delivery row, delivered", rows.length === 1 && rows[0].state === "delivered", rows.map((r) => r.state).join(","));
  checks.add("exactly one tracker receipt", receipts.length === 1 && drain.drained, `${receipts.length}`);
  const counts = {
    sent: records.length,
    acknowledged: classes["2xx"],
    answers: classes,
    stored: conv.n,
    storedUnacknowledged: 0,
    deliveries: rows.length,
    deliveryStates: Object.fromEntries(rows.map((r) => [r.state, 1])),
    delivered: rows.filter((r) => ids.has(r.id)).length,
    receipts: receipts.length,
    duplicates: Math.max(0, receipts.length - ids.size),
    duplicatesDifferentId: ids.size > 1 ? ids.size - 1 : 0,
    lost: (classes["2xx"] > 0 && conv.n === 0 ? 1 : 0) + rows.filter((r) => !ids.has(r.id)).length,
  };
  return { checks, counts, notes };
}

export { countsLine };
