import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { conversionEvents, conversions, deliveries, incomingPostbackLog } from "@/db/schema";
import { handleIncomingPostback, INCOMING_ERROR_CODES, signIncomingPayload } from "@/lib/incoming/incoming";
import { addGoal } from "@/lib/program/manage";
import { INCOMING_PARAMETERS } from "@/lib/incoming/incoming-params";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { createWorld, postbackRequest, type World } from "../helpers/world";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

type Answer = { status: number; body: { ok: boolean; result?: string; conversion_id?: string; status?: string; reason?: string; error?: { code: string; message: string; field?: string } } };

async function send(request: Request): Promise<Answer> {
  const response = await handleIncomingPostback(handle.db, request, new URL(request.url).pathname.split("/").at(-1)!);
  expect(response.headers.get("content-type")).toContain("application/json");
  return { status: response.status, body: await response.json() };
}

function post(world: World, params: Record<string, string>, init: Parameters<typeof postbackRequest>[2] = {}) {
  return send(postbackRequest(world.endpointId, { token: world.secret, ...params }, init));
}

async function expectError(answer: Answer, code: keyof typeof INCOMING_ERROR_CODES, field?: string) {
  expect(answer.body.ok).toBe(false);
  expect(answer.body.error?.code).toBe(code);
  expect(answer.status).toBe(INCOMING_ERROR_CODES[code]);
  expect(answer.body.error?.message.length).toBeGreaterThan(10);
  if (field) expect(answer.body.error?.field).toBe(field);
}

async function conversionOf(clickId: string) {
  return handle.db.select().from(conversions).where(eq(conversions.clickId, clickId));
}

describe(`incoming postbacks on ${testDriver}`, () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld(handle.db);
  });

  it("creates a conversion from the merchant's first postback, with the offer's defaults and the merchant's word", async () => {
    const click = await world.click();
    const answer = await post(world, { click_id: click, txid: "ORD-1", status: "paid", sale_amount: "99.90", shipping: "express" });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, result: "accepted", status: "approved" } });
    const [conversion] = await conversionOf(click);
    expect(conversion).toMatchObject({
      id: answer.body.conversion_id,
      status: "approved",
      originalStatus: "paid",
      transactionId: "ORD-1",
      payout: "10.0000",
      revenue: "15.0000",
      saleAmount: "99.9000",
      currency: "EUR",
      affiliateId: world.affiliateId,
      details: { shipping: "express" },
    });
  });

  it("reads the same postback from a query, a form and a JSON body, GET and POST", async () => {
    for (const as of ["query", "form", "json"] as const) {
      const click = await world.click();
      const answer = await post(world, { clickid: click, tid: `T-${as}`, status: "reg", payout: "3.5" }, { as, method: as === "query" ? "POST" : undefined });
      expect(answer.body, as).toMatchObject({ ok: true, result: "accepted", status: "lead" });
      const [conversion] = await conversionOf(click);
      expect(conversion.payout).toBe("3.5000");
    }
  });

  it("accepts every alias of every parameter", async () => {
    await addGoal(handle.db, world.networkId, world.offerId, { key: "deposit", name: "Deposit", payoutKind: "flat", payout: "1", revenueKind: "flat", revenue: "1", multiple: false, holdHours: null });
    const cases: Record<string, string> = {};
    for (const [name, spec] of Object.entries(INCOMING_PARAMETERS)) {
      for (const alias of spec.aliases) cases[`${name}:${alias}`] = alias;
    }
    for (const [label, alias] of Object.entries(cases)) {
      const [name] = label.split(":");
      const click = await world.click();
      const params: Record<string, string> = { click_id: click, txid: `A-${label}`, status: "lead" };
      const value = { click_id: click, txid: `A-${label}`, status: "declined", payout: "1.25", revenue: "2.5", sale_amount: "7", currency: "usd", goal: "deposit" }[name]!;
      delete params[name];
      params[alias] = value;
      // A currency labels the amounts sent with it.
      if (name === "currency") params.payout = "1.25";
      const answer = await post(world, params);
      expect(answer.body.ok, label).toBe(true);
      const [conversion] = await conversionOf(click);
      const field = { click_id: "clickId", txid: "transactionId", status: "status", payout: "payout", revenue: "revenue", sale_amount: "saleAmount", currency: "currency", goal: "goalKey" }[name] as keyof typeof conversion;
      const expected = { click_id: click, txid: `A-${label}`, status: "rejected", payout: "1.2500", revenue: "2.5000", sale_amount: "7.0000", currency: "USD", goal: "deposit" }[name];
      expect(conversion[field], label).toBe(expected);
    }
  });

  it("takes the secret from the query, the X-Postline-Token header or a bearer token", async () => {
    const headerSets: Record<string, string>[] = [{ "x-postline-token": world.secret }, { authorization: `Bearer ${world.secret}` }];
    for (const headers of headerSets) {
      const click = await world.click();
      const answer = await send(postbackRequest(world.endpointId, { click_id: click, txid: `H-${click}` }, { headers }));
      expect(answer.body.result).toBe("accepted");
    }
  });

  it("maps words through the endpoint's map first, then the common words; a word neither knows is refused", async () => {
    const expectations: [string, string][] = [["paid", "approved"], ["NOPE", "rejected"], ["wait", "hold"], ["sale", "approved"], ["1", "approved"], ["pending", "lead"]];
    for (const [word, canonical] of expectations) {
      const click = await world.click();
      const answer = await post(world, { click_id: click, txid: `M-${word}`, status: word });
      expect(answer.body.status, word).toBe(canonical);
    }
    const click = await world.click();
    await expectError(await post(world, { click_id: click, status: "banana" }), "unknown_status", "status");
    expect(await conversionOf(click)).toEqual([]);
  });

  it("counts a postback without a status word as the endpoint's default status (a sale)", async () => {
    const click = await world.click();
    expect((await post(world, { click_id: click })).body).toMatchObject({ result: "accepted", status: "approved" });
  });

  it("answers ignored, and changes nothing, for a status on the ignore list", async () => {
    const click = await world.click();
    const answer = await post(world, { click_id: click, status: "ping" });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, result: "ignored", conversion_id: null } });
    expect(answer.body.reason).toContain("ignored");
    expect(await conversionOf(click)).toEqual([]);
  });

  describe("transitions", () => {
    const allowed: [string, string][] = [["lead", "approved"], ["lead", "rejected"], ["lead", "hold"], ["hold", "approved"], ["hold", "rejected"], ["approved", "rejected"]];
    for (const [from, to] of allowed) {
      it(`moves ${from} → ${to} and records the event`, async () => {
        const click = await world.click();
        await post(world, { click_id: click, txid: `TR-${click}`, status: from });
        const answer = await post(world, { click_id: click, txid: `TR-${click}`, status: to });
        expect(answer.body).toMatchObject({ result: "accepted", status: to });
        const [conversion] = await conversionOf(click);
        const events = await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, conversion.id)).orderBy(conversionEvents.seq);
        expect(events.map((e) => [e.kind, e.fromStatus, e.toStatus])).toEqual([
          ["created", null, from],
          [from === "approved" ? "reversal" : "status_changed", from, to],
        ]);
      });
    }

    const refused: [string, string][] = [["approved", "lead"], ["approved", "hold"], ["rejected", "approved"], ["rejected", "lead"], ["hold", "lead"]];
    for (const [from, to] of refused) {
      it(`keeps ${from} when a late ${to} arrives, answering ignored with the reason`, async () => {
        const click = await world.click();
        await post(world, { click_id: click, status: from });
        const answer = await post(world, { click_id: click, status: to });
        expect(answer).toMatchObject({ status: 200, body: { ok: true, result: "ignored", status: from } });
        expect(answer.body.reason).toMatch(new RegExp(from));
        const [conversion] = await conversionOf(click);
        expect(conversion.status).toBe(from);
        const [log] = await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.clickId, click)).orderBy(incomingPostbackLog.seq).offset(1);
        expect(log).toMatchObject({ result: "ignored", httpStatus: 200, conversionId: conversion.id });
        expect(log.message).toBe(answer.body.reason);
      });
    }

    it("counts the same transaction and status once", async () => {
      const click = await world.click();
      const first = await post(world, { click_id: click, txid: "D-1", status: "sale" });
      const again = await post(world, { click_id: click, txid: "D-1", status: "sale" });
      expect(first.body.result).toBe("accepted");
      expect(again.body).toMatchObject({ result: "duplicate", conversion_id: first.body.conversion_id, status: "approved" });
      expect(await conversionOf(click)).toHaveLength(1);
    });
  });

  it("refuses a new conversion on a click older than the offer's click lifetime, but still updates an existing one", async () => {
    const click = await world.click(721);
    await expectError(await post(world, { click_id: click }), "click_expired", "click_id");
    const fresh = await world.click(719);
    expect((await post(world, { click_id: fresh })).body.result).toBe("accepted");
    // Forty days later, the chargeback of a sale made in time still reverses it.
    const { clicks } = await import("@/db/schema");
    await handle.db.update(clicks).set({ createdAt: new Date(Date.now() - 960 * 3_600_000) }).where(eq(clicks.id, fresh));
    expect((await post(world, { click_id: fresh, status: "chargeback" })).body).toMatchObject({ result: "accepted", status: "rejected" });
  });

  it("answers 409, not 500, when a lead would take a transaction id another click's conversion has", async () => {
    const { handleLeadSubmission } = await import("@/lib/incoming/leads");
    const { apiKeys } = await import("@/db/schema");
    const { hashSecret } = await import("@/lib/access/secrets");
    await handle.db.insert(apiKeys).values({ id: `key_${world.affiliateId}`, orgId: world.affiliateId, name: "k", prefix: "k", keyHash: hashSecret(`key-${world.affiliateId}`) });
    const taken = await world.click();
    expect((await post(world, { click_id: taken, txid: "TAKEN-1" })).body.result).toBe("accepted");
    const leadClick = await world.click();
    await handleLeadSubmission(handle.db, new Request("http://postline.test/api/leads", { method: "POST", headers: { authorization: `Bearer key-${world.affiliateId}`, "content-type": "application/json" }, body: JSON.stringify({ click_id: leadClick }) }));
    await expectError(await post(world, { click_id: leadClick, txid: "TAKEN-1", status: "sale" }), "transaction_conflict", "txid");
  });

  it("answers 404 for an unknown click and for another merchant's click", async () => {
    await expectError(await post(world, { click_id: "clk_doesnotexist" }), "unknown_click", "click_id");
    const other = await createWorld(handle.db);
    const foreignClick = await other.click();
    await expectError(await post(world, { click_id: foreignClick }), "unknown_click", "click_id");
    expect(await conversionOf(foreignClick)).toEqual([]);
    // Another merchant's click says nothing of itself: an expired one is as unknown as a fresh one.
    await expectError(await post(world, { click_id: await other.click(721) }), "unknown_click", "click_id");
  });

  it("answers each documented error with its status, code and field, and logs it", async () => {
    const click = await world.click();
    const base = { token: world.secret, click_id: click };
    const cases: [Promise<Answer>, keyof typeof INCOMING_ERROR_CODES, string?][] = [
      [send(postbackRequest(world.endpointId, { click_id: click })), "missing_token"],
      [send(postbackRequest(world.endpointId, { ...base, token: "whsec_wrong" })), "invalid_token"],
      [send(postbackRequest("end_nope", base)), "unknown_endpoint"],
      [send(postbackRequest(world.endpointId, { token: world.secret })), "missing_parameter", "click_id"],
      [send(postbackRequest(world.endpointId, { ...base, click_id: "bad id!" })), "invalid_parameter", "click_id"],
      [send(postbackRequest(world.endpointId, { ...base, payout: "12,50" })), "invalid_parameter", "payout"],
      [send(postbackRequest(world.endpointId, { ...base, payout: "-1" })), "invalid_parameter", "payout"],
      [send(postbackRequest(world.endpointId, { ...base, currency: "EURO" })), "invalid_parameter", "currency"],
      [send(postbackRequest(world.endpointId, { ...base, txid: "a\u0001b" })), "invalid_parameter", "txid"],
      [send(postbackRequest(world.endpointId, { ...base, clickid: "clk_other" })), "conflicting_parameters", "click_id"],
      [send(new Request(`http://postline.test/api/postback/${world.endpointId}?token=${world.secret}&click_id=a&click_id=b`)), "duplicate_parameter", "click_id"],
      [send(new Request(`http://postline.test/api/postback/${world.endpointId}?token=${world.secret}`, { method: "POST", body: "{not json", headers: { "content-type": "application/json" } })), "malformed_body"],
      [send(new Request(`http://postline.test/api/postback/${world.endpointId}?token=${world.secret}`, { method: "POST", body: "<xml/>", headers: { "content-type": "application/xml" } })), "unsupported_content_type"],
      [send(new Request(`http://postline.test/api/postback/${world.endpointId}?token=${world.secret}`, { method: "POST", body: "x=".padEnd(20_000, "y"), headers: { "content-type": "application/x-www-form-urlencoded" } })), "body_too_large"],
      [send(new Request(`http://postline.test/api/postback/${world.endpointId}?token=${world.secret}`, { method: "POST", body: JSON.stringify({ click_id: { nested: true } }), headers: { "content-type": "application/json" } })), "invalid_parameter", "click_id"],
    ];
    for (const [pending, code, field] of cases) await expectError(await pending, code, field);

    const logs = await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.result, "rejected"));
    for (const [, code] of cases) expect(logs.some((l) => l.errorCode === code), code).toBe(true);
    // The secret never reaches the log.
    expect(JSON.stringify(logs)).not.toContain(world.secret);
    expect(logs.find((l) => l.errorCode === "invalid_token")?.params).toMatchObject({ token: "••••" });
  });

  it("refuses a transaction id already used by another click's conversion", async () => {
    const multi = await createWorld(handle.db, { offer: { allowMultipleConversions: true } });
    const a = await multi.click();
    const b = await multi.click();
    expect((await post(multi, { click_id: a, txid: "SHARED" })).body.result).toBe("accepted");
    await expectError(await post(multi, { click_id: b, txid: "SHARED" }), "transaction_conflict", "txid");
  });

  it("counts several conversions per click when the offer allows it and the transaction ids differ", async () => {
    const multi = await createWorld(handle.db, { offer: { allowMultipleConversions: true } });
    const click = await multi.click();
    for (const txid of ["R-1", "R-2", "R-3"]) expect((await post(multi, { click_id: click, txid })).body.result).toBe("accepted");
    expect((await post(multi, { click_id: click, txid: "R-2" })).body.result).toBe("duplicate");
    expect(await conversionOf(click)).toHaveLength(3);
    await expectError(await post(multi, { click_id: click }), "missing_parameter", "txid");
    // A first postback without one makes nothing either (the statement that writes it has no key).
    const fresh = await multi.click();
    await expectError(await post(multi, { click_id: fresh }), "missing_parameter", "txid");
    expect(await conversionOf(fresh)).toEqual([]);
  });

  it("keeps one conversion per click when the offer does not allow several", async () => {
    const click = await world.click();
    expect((await post(world, { click_id: click, txid: "S-1", status: "lead" })).body.result).toBe("accepted");
    const second = await post(world, { click_id: click, txid: "S-2", status: "sale" });
    expect(second.body.result).toBe("ignored");
    expect(second.body.reason).toContain("one conversion per click");
    expect(await conversionOf(click)).toHaveLength(1);
  });

  describe("IP allow-list", () => {
    it("admits listed IPv4, IPv6 and CIDR addresses and refuses others with 403", async () => {
      const guarded = await createWorld(handle.db, { endpoint: { ipAllowList: ["198.51.100.7", "10.20.0.0/16", "2001:db8::/32", "::1"] } });
      for (const ip of ["198.51.100.7", "10.20.5.9", "::ffff:10.20.1.1", "2001:db8:1::5", "::1"]) {
        const answer = await post(guarded, { click_id: await guarded.click() }, { ip });
        expect(answer.body.result, ip).toBe("accepted");
      }
      for (const ip of ["198.51.100.8", "10.21.0.1", "2001:db9::1", "127.0.0.1"]) {
        await expectError(await post(guarded, { click_id: await guarded.click() }, { ip }), "ip_not_allowed");
      }
      // The nearest proxy's entry (the right-most) is the one checked.
      await expectError(await post(guarded, { click_id: await guarded.click() }, { ip: "198.51.100.7, 203.0.113.50" }), "ip_not_allowed");
    });
  });

  describe("signature", () => {
    const signingSecret = "sign-me-please";
    let signed: World;
    beforeAll(async () => {
      signed = await createWorld(handle.db, { endpoint: { signingSecret } });
    });

    it("accepts a correctly signed POST body and a correctly signed GET query", async () => {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({ token: signed.secret, click_id: await signed.click(), txid: "SIG-1" });
      const viaPost = await send(
        new Request(`http://postline.test/api/postback/${signed.endpointId}`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "x-postline-timestamp": String(now), "x-postline-signature": `sha256=${signIncomingPayload(signingSecret, now, body)}` },
        }),
      );
      expect(viaPost.body.result).toBe("accepted");

      const query = `token=${signed.secret}&click_id=${await signed.click()}&txid=SIG-2&timestamp=${now}`;
      const viaGet = await send(new Request(`http://postline.test/api/postback/${signed.endpointId}?${query}&signature=${signIncomingPayload(signingSecret, now, query)}`));
      expect(viaGet.body.result).toBe("accepted");
    });

    it("refuses a missing, wrong, tampered or stale signature", async () => {
      const now = Math.floor(Date.now() / 1000);
      const click = await signed.click();
      await expectError(await post(signed, { click_id: click }), "missing_signature");
      const query = `token=${signed.secret}&click_id=${click}&payout=1&timestamp=${now}`;
      const good = signIncomingPayload(signingSecret, now, query);
      await expectError(await send(new Request(`http://postline.test/api/postback/${signed.endpointId}?${query.replace("payout=1", "payout=999")}&signature=${good}`)), "invalid_signature");
      await expectError(await send(new Request(`http://postline.test/api/postback/${signed.endpointId}?${query}&signature=${"0".repeat(64)}`)), "invalid_signature");
      const old = now - 3600;
      const staleQuery = `token=${signed.secret}&click_id=${click}&timestamp=${old}`;
      await expectError(await send(new Request(`http://postline.test/api/postback/${signed.endpointId}?${staleQuery}&signature=${signIncomingPayload(signingSecret, old, staleQuery)}`)), "invalid_signature");
      expect(await conversionOf(click)).toEqual([]);
    });
  });

  it("limits the rate per endpoint and address, answering 429 past the setting", async () => {
    const limited = await createWorld(handle.db, { endpoint: { rateLimitPerMinute: 3 } });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(limited, { click_id: await limited.click() }, { ip: "192.0.2.10" }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    await expectError(answers[4], "rate_limited");
    // Another address has its own count.
    expect((await post(limited, { click_id: await limited.click() }, { ip: "192.0.2.11" })).status).toBe(200);
  });

  it("writes a log row for every request, with the request's facts and the conversion", async () => {
    const click = await world.click();
    const answer = await post(world, { click_id: click, txid: "LOG-1", status: "sale", sub: "x" }, { ip: "192.0.2.99" });
    const [log] = await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.clickId, click));
    expect(log).toMatchObject({
      endpointId: world.endpointId,
      networkId: world.networkId,
      merchantId: world.merchantId,
      method: "GET",
      sourceIp: "192.0.2.99",
      result: "accepted",
      httpStatus: 200,
      errorCode: null,
      conversionId: answer.body.conversion_id,
      transactionId: "LOG-1",
      status: "approved",
      originalStatus: "sale",
      params: { token: "••••", click_id: click, txid: "LOG-1", status: "sale", sub: "x" },
    });
    expect(log.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("accepts ISO 4217 currencies only, and never relabels the offer's default amounts", async () => {
    for (const currency of ["xyz", "ABC", "US", "€"]) {
      await expectError(await post(world, { click_id: await world.click(), currency }), "invalid_parameter", "currency");
    }
    // The offer pays 10.00 / 15.00 EUR by default: a currency without a payout or revenue labels the sale amount only.
    const saleOnly = await world.click();
    expect((await post(world, { click_id: saleOnly, status: "reg", sale_amount: "80", currency: "usd" })).status).toBe(200);
    expect((await conversionOf(saleOnly))[0]).toMatchObject({ payout: "10.0000", revenue: "15.0000", saleAmount: "80.0000", currency: "EUR", details: { sale_currency: "USD" } });
    // A later status change with a currency and no amounts changes no label either.
    expect((await post(world, { click_id: saleOnly, status: "paid", currency: "GBP" })).body.status).toBe("approved");
    expect((await conversionOf(saleOnly))[0]).toMatchObject({ payout: "10.0000", currency: "EUR" });
    // A payout sent with its currency is in that currency.
    const paid = await world.click();
    expect((await post(world, { click_id: paid, payout: "12.50", revenue: "20", currency: "usd" })).status).toBe(200);
    expect((await conversionOf(paid))[0]).toMatchObject({ payout: "12.5000", revenue: "20.0000", currency: "USD" });
  });

  it("masks every parameter a secret travels in, from a query, a form and a JSON body, in the log and the details", async () => {
    const names = ["access_token", "api_key", "apikey", "apiKey", "X-Api-Key", "key", "secret", "client_secret", "password", "signature", "auth", "authToken"];
    for (const as of ["query", "form", "json"] as const) {
      const click = await world.click();
      const secrets = Object.fromEntries(names.map((name, i) => [name, `s3cr3t-${as}-${i}-value`]));
      const answer = await post(world, { click_id: click, ...secrets, sub: "visible" }, { as, method: as === "query" ? "POST" : undefined });
      expect(answer.body, as).toMatchObject({ ok: true, result: "accepted" });
      const [log] = await handle.db.select().from(incomingPostbackLog).where(eq(incomingPostbackLog.clickId, click));
      expect(log.params, as).toMatchObject({ ...Object.fromEntries(names.map((name) => [name, "••••"])), sub: "visible" });
      const [conversion] = await conversionOf(click);
      expect(JSON.stringify([log, conversion]), as).not.toContain("s3cr3t");
    }
  });

  it("writes the deliveries of matching postbacks in the event's transaction, and none for others", async () => {
    const relay = await createWorld(handle.db);
    const all = await relay.addPostback({ scope: "all" });
    const approvedOnly = await relay.addPostback({ scope: "offer", offerId: relay.offerId, statuses: ["approved"] });
    const otherOffer = await createWorld(handle.db);
    const elsewhere = await relay.addPostback({ scope: "offer", offerId: otherOffer.offerId });
    const paused = await relay.addPostback({ scope: "all", enabled: false });
    const networkToMerchant = await relay.addPostback({ ownerOrgId: relay.networkId, recipientOrgId: relay.merchantId, scope: "merchant", merchantId: relay.merchantId, statuses: ["lead"] });

    const click = await relay.click();
    const lead = await post(relay, { click_id: click, status: "lead" });
    const approved = await post(relay, { click_id: click, status: "sale" });
    const rows = await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, lead.body.conversion_id!));
    const byPostback = (id: string) => rows.filter((r) => r.postbackId === id).length;
    expect(byPostback(all)).toBe(2);
    expect(byPostback(approvedOnly)).toBe(1);
    expect(byPostback(networkToMerchant)).toBe(1);
    expect(byPostback(elsewhere)).toBe(0);
    expect(byPostback(paused)).toBe(0);
    expect(rows.every((r) => r.state === "pending" && r.destinationHost === "tracker.example.com")).toBe(true);
    expect(approved.body.conversion_id).toBe(lead.body.conversion_id);
  });

  it("counts 200 identical postbacks arriving at once as one conversion, one event and 199 duplicates", async () => {
    const relay = await createWorld(handle.db);
    await relay.addPostback({ scope: "all" });
    const click = await relay.click();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => post(relay, { click_id: click, txid: "SAME", status: "sale", payout: "5" })),
    );
    const results = answers.map((a) => a.body.result);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(results.filter((r) => r === "accepted")).toHaveLength(1);
    expect(results.filter((r) => r === "duplicate")).toHaveLength(199);
    const rows = await conversionOf(click);
    expect(rows).toHaveLength(1);
    expect(await handle.db.select().from(conversionEvents).where(eq(conversionEvents.conversionId, rows[0].id))).toHaveLength(1);
    expect(await handle.db.select().from(deliveries).where(eq(deliveries.conversionId, rows[0].id))).toHaveLength(1);
    const logs = await handle.db.select().from(incomingPostbackLog).where(and(eq(incomingPostbackLog.clickId, click)));
    expect(logs).toHaveLength(200);
  });
});
