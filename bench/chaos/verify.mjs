// What the scenarios check, against the database and the tracker's receipts.
import { classify } from "./load.mjs";
import { log, sleep } from "./util.mjs";

/** A list of named checks; each failure is kept with its detail. */
export class Checks {
  constructor() {
    this.items = [];
  }
  add(name, ok, detail = "") {
    this.items.push({ name, ok: Boolean(ok), detail });
    process.stdout.write(`    ${ok ? "ok  " : "FAIL"}  ${name}${detail ? ` — ${detail}` : ""}\n`);
    return ok;
  }
  get failed() {
    return this.items.filter((c) => !c.ok);
  }
}

/**
 * Waits until the outbox is drained: no delivery pending, and every delivery the database calls
 * delivered has reached the tracker. Database errors (the server may be recovering) are retried.
 */
export async function waitForDrain(sql, tracker, deadlineMs, label) {
  const started = Date.now();
  let lastReport = 0;
  let status = { pending: -1 };
  while (Date.now() < deadlineMs) {
    try {
      const [row] = await sql`
        select count(*) filter (where state = 'pending')::int as pending,
               count(*) filter (where state = 'delivered')::int as delivered,
               count(*) filter (where state = 'failed')::int as failed,
               count(*)::int as total
        from deliveries`;
      const received = new Set(tracker.receipts.map((r) => r.webhookId));
      status = { ...row, received: received.size };
      if (row.pending === 0 && received.size >= row.delivered) return { drained: true, seconds: (Date.now() - started) / 1000, ...status };
    } catch (error) {
      status = { pending: -1, error: error.message };
    }
    if (Date.now() - lastReport > 10_000) {
      lastReport = Date.now();
      log(`${label}: waiting for the outbox to drain — ${JSON.stringify(status)}`);
    }
    await sleep(500);
  }
  return { drained: false, seconds: (Date.now() - started) / 1000, ...status };
}

/**
 * The durability checks every scenario makes, and its counts:
 * - every postback answered 2xx is a stored conversion (by its unique txid);
 * - every stored conversion has its delivery row, and every delivery reached the tracker;
 * - the tracker saw each txid under one webhook-id only (duplicates only with the same id);
 * - nothing is pending or failed at the end; nothing arrived that was not sent.
 */
export async function verifyDurability({ sql, records, tracker, checks, expectOneDeliveryPerConversion = true }) {
  const sent = records.length;
  const byClass = {};
  for (const r of records) byClass[classify(r)] = (byClass[classify(r)] ?? 0) + 1;
  const acked = records.filter((r) => r.status >= 200 && r.status < 300);
  const ackedTxids = new Set(acked.map((r) => r.txid));
  const sentTxids = new Set(records.map((r) => r.txid));

  const conversions = await sql`select id, transaction_id from conversions`;
  const storedByTxid = new Map(conversions.map((c) => [c.transaction_id, c.id]));
  const deliveries = await sql`
    select d.id, d.state, d.attempts, d.conversion_id, c.transaction_id
    from deliveries d join conversions c on c.id = d.conversion_id`;
  const deliveriesByConversion = new Map();
  for (const d of deliveries) deliveriesByConversion.set(d.conversion_id, [...(deliveriesByConversion.get(d.conversion_id) ?? []), d]);
  const deliveryById = new Map(deliveries.map((d) => [d.id, d]));

  const lostPostbacks = [...ackedTxids].filter((t) => !storedByTxid.has(t));
  const storedSent = [...storedByTxid.keys()].filter((t) => sentTxids.has(t));
  const storedUnacked = storedSent.filter((t) => !ackedTxids.has(t));
  const strangers = [...storedByTxid.keys()].filter((t) => !sentTxids.has(t));
  const withoutDelivery = [...storedByTxid.entries()].filter(([, id]) => !deliveriesByConversion.has(id)).map(([t]) => t);
  const multiDelivery = [...deliveriesByConversion.values()].filter((ds) => ds.length > 1);
  const badResults = acked.filter((r) => r.result !== "accepted");

  // The tracker's side.
  const receiptsById = new Map();
  for (const r of tracker.receipts) receiptsById.set(r.webhookId, [...(receiptsById.get(r.webhookId) ?? []), r]);
  const idsByTid = new Map();
  for (const r of tracker.receipts) idsByTid.set(r.tid, new Set([...(idsByTid.get(r.tid) ?? []), r.webhookId]));
  const undelivered = deliveries.filter((d) => !receiptsById.has(d.id));
  const ackedUndelivered = undelivered.filter((d) => ackedTxids.has(d.transaction_id));
  const sameIdDuplicates = [...receiptsById.values()].reduce((n, rs) => n + rs.length - 1, 0);
  const differentIdDuplicates = [...idsByTid.entries()].filter(([, ids]) => ids.size > 1);
  const phantoms = tracker.receipts.filter((r) => !deliveryById.has(r.webhookId));
  const mismatched = tracker.receipts.filter((r) => deliveryById.has(r.webhookId) && deliveryById.get(r.webhookId).transaction_id !== r.tid);
  const states = {};
  for (const d of deliveries) states[d.state] = (states[d.state] ?? 0) + 1;

  const counts = {
    sent,
    acknowledged: acked.length,
    answers: byClass,
    stored: storedSent.length,
    storedUnacknowledged: storedUnacked.length,
    deliveries: deliveries.length,
    deliveryStates: states,
    delivered: deliveries.length - undelivered.length,
    receipts: tracker.receipts.length,
    duplicates: sameIdDuplicates,
    duplicatesDifferentId: differentIdDuplicates.length,
    lost: lostPostbacks.length + undelivered.length + withoutDelivery.filter((t) => ackedTxids.has(t)).length,
  };
  const sample = (list, f = (x) => x) => (list.length ? ` e.g. ${list.slice(0, 5).map(f).join(", ")}` : "");

  checks.add("every postback answered 2xx is stored (acknowledged but not stored = 0)", lostPostbacks.length === 0, `${acked.length} acknowledged, ${lostPostbacks.length} missing${sample(lostPostbacks)}`);
  checks.add("every 2xx answer says accepted (unique txids)", badResults.length === 0, badResults.length ? `${badResults.length} not accepted${sample(badResults, (r) => `${r.txid}:${r.result}`)}` : "");
  checks.add("no conversion that was never sent", strangers.length === 0, strangers.length ? `${strangers.length}${sample(strangers)}` : "");
  checks.add("every stored conversion has its delivery row (same transaction)", withoutDelivery.length === 0, withoutDelivery.length ? `${withoutDelivery.length} without${sample(withoutDelivery)}` : `${deliveries.length} deliveries`);
  if (expectOneDeliveryPerConversion) checks.add("one delivery per conversion (one outgoing postback)", multiDelivery.length === 0, multiDelivery.length ? `${multiDelivery.length} conversions with several` : "");
  checks.add("every delivery reached the tracker (lost deliveries = 0)", undelivered.length === 0, `${deliveries.length - undelivered.length}/${deliveries.length} received${undelivered.length ? `; ${ackedUndelivered.length} of the missing belong to acknowledged postbacks${sample(undelivered, (d) => `${d.id}(${d.state}, ${d.attempts} attempts)`)}` : ""}`);
  checks.add("no delivery pending or failed at the end", (states.pending ?? 0) === 0 && (states.failed ?? 0) === 0, JSON.stringify(states));
  checks.add("duplicates at the tracker only with the same webhook-id", differentIdDuplicates.length === 0, `${sameIdDuplicates} same-id duplicate receipts; ${differentIdDuplicates.length} txids under several ids${sample(differentIdDuplicates, ([t, ids]) => `${t}:[${[...ids].join(" ")}]`)}`);
  checks.add("every receipt is a known delivery carrying its own txid", phantoms.length === 0 && mismatched.length === 0, phantoms.length || mismatched.length ? `${phantoms.length} unknown webhook-ids, ${mismatched.length} with another txid` : "");
  return { counts, acked, deliveries, receiptsById };
}

/** One line of counts, as the report prints it. */
export function countsLine(c) {
  const answers = Object.entries(c.answers)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return `sent ${c.sent} (${answers}); acknowledged ${c.acknowledged}; stored ${c.stored} (of them unacknowledged: ${c.storedUnacknowledged}); deliveries ${c.deliveries}; delivered ${c.delivered}; tracker receipts ${c.receipts}; duplicates (same webhook-id) ${c.duplicates}; duplicates with another id ${c.duplicatesDifferentId}; LOST ${c.lost}`;
}
