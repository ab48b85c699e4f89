import type { SessionUser } from "@/lib/access/users";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { deliveryAttempts, outgoingPostbacks } from "@/db/schema";
import type { DispatchSettings } from "@/lib/outgoing/delivery-attempts";
import { handleIncomingPostback } from "@/lib/incoming/incoming";
import {
  createPostback,
  deletePostback,
  latestMatchingConversion,
  postbackInputSchema,
  postbackTestSchema,
  setPostbackEnabled,
  testPostback,
  updatePostback,
} from "@/lib/outgoing/postback-config";
import { toAppError } from "@/lib/platform/errors";
import { handleClick } from "@/lib/tracking/clicks";
import { createTestDatabase, testDriver } from "../helpers/test-db";
import { startTracker, type Tracker } from "../helpers/tracker";
import { createWorld, postbackRequest, type World, sessionUserFor } from "../helpers/world";

let handle: DatabaseHandle;
let tracker: Tracker;
let world: World;
let affiliate: SessionUser;
let network: SessionUser;
const settings: DispatchSettings = { schedule: [0], timeoutMs: 1000, maxResponseBytes: 4096, allowedAddresses: ["127.0.0.1"], pauseAfterFailures: 10 };


beforeAll(async () => {
  handle = await createTestDatabase();
  tracker = await startTracker();
  world = await createWorld(handle.db);
  affiliate = sessionUserFor(world.affiliateId, "affiliate");
  network = sessionUserFor(world.networkId, "network");
});
afterAll(async () => {
  await tracker.close();
  await handle.close();
});

function rawInput(values: Record<string, unknown>) {
  return { name: "My tracker", scope: "all", statuses: ["approved"], urlTemplate: `${tracker.url}/pb?cid={aff_click_id}`, ...values };
}

function input(values: Record<string, unknown>) {
  return postbackInputSchema.parse(rawInput(values));
}

describe(`postback configuration on ${testDriver}`, () => {
  it("reads a form's fields: statuses as a list, header lines, the enabled checkbox", () => {
    const form = new FormData();
    for (const [k, v] of [["name", "Keitaro"], ["scope", "all"], ["statuses", "lead"], ["statuses", "approved"], ["method", "GET"], ["urlTemplate", "https://t.example/pb"], ["headers", "X-Key: abc\nX-Other: d:e"], ["enabled", "false"]]) form.append(k, v);
    const raw = Object.fromEntries([...new Set(form.keys())].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)]));
    const parsed = postbackInputSchema.parse(raw);
    expect(parsed).toMatchObject({ statuses: ["lead", "approved"], headers: { "X-Key": "abc", "X-Other": "d:e" }, enabled: false });
    expect(postbackInputSchema.parse({ ...raw, enabled: undefined }).enabled).toBe(true);
    expect(postbackInputSchema.safeParse({ ...raw, statuses: [] }).error?.issues[0]).toMatchObject({ path: ["statuses"], message: "Pick at least one status." });
    expect(postbackInputSchema.safeParse({ ...raw, headers: "no colon here" }).success).toBe(false);
  });

  it("refuses an unknown macro, naming the nearest known one", async () => {
    await expect(createPostback(handle.db, affiliate, { ...input({}), urlTemplate: "https://t.example/pb?c={clik_id}" }, settings)).rejects.toMatchObject({
      code: "invalid_input",
      field: "urlTemplate",
      message: "Unknown macro {clik_id} — did you mean {click_id}?",
    });
  });

  it("refuses a JSON body that does not render to JSON, and a URL the SSRF guard refuses", async () => {
    await expect(createPostback(handle.db, affiliate, { ...input({ method: "POST", bodyFormat: "json", bodyTemplate: "{}" }), bodyTemplate: '{"s": {status}}' }, settings)).rejects.toMatchObject({ field: "bodyTemplate" });
    await expect(createPostback(handle.db, affiliate, input({ urlTemplate: "http://169.254.169.254/latest" }), settings)).rejects.toMatchObject({ field: "urlTemplate", message: expect.stringContaining("private or reserved") });
  });

  it("lets an affiliate scope to an offer of an approving network or its own campaign, and nothing else", async () => {
    const id = await createPostback(handle.db, affiliate, input({ scope: "offer", offerId: world.offerId }), settings);
    const [row] = await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.id, id));
    expect(row).toMatchObject({ ownerOrgId: world.affiliateId, recipientOrgId: world.affiliateId, scope: "offer", offerId: world.offerId, statuses: ["approved"] });

    const stranger = await createWorld(handle.db, { membership: "pending" });
    await expect(createPostback(handle.db, affiliate, input({ scope: "offer", offerId: stranger.offerId }), settings)).rejects.toMatchObject({ field: "offerId" });
    await expect(createPostback(handle.db, affiliate, input({ scope: "campaign", campaignId: stranger.campaignId }), settings)).rejects.toMatchObject({ field: "campaignId" });
    await expect(createPostback(handle.db, affiliate, input({ scope: "merchant", merchantId: world.merchantId }), settings)).rejects.toMatchObject({ field: "scope" });
    expect(await createPostback(handle.db, affiliate, input({ scope: "campaign", campaignId: world.campaignId }), settings)).toMatch(/^pb_/);
  });

  it("lets a network send to its merchant's server, scoped to an offer or the merchant", async () => {
    const byOffer = await createPostback(handle.db, network, input({ scope: "offer", offerId: world.offerId, statuses: ["lead"] }), settings);
    const byMerchant = await createPostback(handle.db, network, input({ scope: "merchant", merchantId: world.merchantId }), settings);
    const rows = await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.ownerOrgId, world.networkId));
    expect(rows.map((r) => [r.id, r.recipientOrgId]).sort()).toEqual([[byOffer, world.merchantId], [byMerchant, world.merchantId]].sort());
    const other = await createWorld(handle.db);
    await expect(createPostback(handle.db, network, input({ scope: "offer", offerId: other.offerId }), settings)).rejects.toMatchObject({ field: "offerId" });
    await expect(createPostback(handle.db, network, input({ scope: "all" }), settings)).rejects.toMatchObject({ field: "scope" });
  });

  it("edits, pauses, resumes and deletes only the owner's postback", async () => {
    const id = await createPostback(handle.db, affiliate, input({ signingSecret: "s3cret" }), settings);
    const intruder = sessionUserFor(world.networkId, "affiliate");
    await expect(updatePostback(handle.db, intruder, id, input({ name: "x" }), settings)).rejects.toMatchObject({ code: "not_found" });
    await expect(setPostbackEnabled(handle.db, intruder, id, false)).rejects.toMatchObject({ code: "not_found" });
    await expect(deletePostback(handle.db, intruder, id)).rejects.toMatchObject({ code: "not_found" });

    await updatePostback(handle.db, affiliate, id, input({ name: "Renamed", statuses: ["lead", "rejected"] }), settings);
    await setPostbackEnabled(handle.db, affiliate, id, false);
    let [row] = await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.id, id));
    expect(row).toMatchObject({ name: "Renamed", statuses: ["lead", "rejected"], enabled: false, signingSecret: "s3cret" });
    await handle.db.update(outgoingPostbacks).set({ pausedAt: new Date(), pausedReason: "auto", consecutiveFailures: 10 }).where(eq(outgoingPostbacks.id, id));
    await setPostbackEnabled(handle.db, affiliate, id, true);
    [row] = await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.id, id));
    expect(row).toMatchObject({ enabled: true, pausedAt: null, pausedReason: null, consecutiveFailures: 0 });
    await deletePostback(handle.db, affiliate, id);
    expect(await handle.db.select().from(outgoingPostbacks).where(eq(outgoingPostbacks.id, id))).toEqual([]);
  });

  it("Test sends sample values when there is no conversion yet, shows the answer, and logs a test attempt", async () => {
    const id = await createPostback(handle.db, affiliate, input({ urlTemplate: `${tracker.url}/test?cid={aff_click_id}&s={status}&p={payout}` }), settings);
    tracker.received.length = 0;
    tracker.setReplies([{ status: 200, body: "OK from tracker" }]);
    const outcome = await testPostback(handle.db, affiliate, { id }, settings);
    tracker.setReplies([200]);
    expect(outcome.sample).toBe(true);
    expect(outcome.request.url).toBe(`${tracker.url}/test?cid=your-click-id&s=approved&p=12.50`);
    expect(outcome.result).toMatchObject({ ok: true, status: 200, body: "OK from tracker" });
    expect(tracker.received.map((r) => r.url)).toEqual(["/test?cid=your-click-id&s=approved&p=12.50"]);
    const [attempt] = await handle.db.select().from(deliveryAttempts).where(eq(deliveryAttempts.postbackId, id));
    expect(attempt).toMatchObject({ trigger: "test", deliveryId: null, ownerOrgId: world.affiliateId, ok: true });
    await expect(testPostback(handle.db, network, { id }, settings)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a brace that opens or closes no macro, with its position, on save and on Test", async () => {
    const unclosed = { ...input({}), urlTemplate: `${tracker.url}/pb?cid={click_id&st={status}` };
    const at = `${tracker.url}/pb?cid=`.length + 1;
    const refusal = { code: "invalid_input", field: "urlTemplate", message: expect.stringContaining(`An unclosed { at character ${at}`) };
    await expect(createPostback(handle.db, affiliate, unclosed, settings)).rejects.toMatchObject(refusal);
    expect(toAppError(postbackInputSchema.safeParse(rawInput({ urlTemplate: unclosed.urlTemplate })).error)).toMatchObject({ ...refusal, status: 422 });

    const id = await createPostback(handle.db, affiliate, input({}), settings);
    await expect(updatePostback(handle.db, affiliate, id, { ...input({}), urlTemplate: `${tracker.url}/pb?cid={click_id}}` }, settings)).rejects.toMatchObject({
      field: "urlTemplate",
      message: expect.stringContaining(`A stray } at character ${`${tracker.url}/pb?cid={click_id}`.length + 1}`),
    });
    const formBody = { ...input({ method: "POST", bodyFormat: "form" }), bodyTemplate: "cid={aff_click_id&s={status}" };
    await expect(createPostback(handle.db, affiliate, formBody, settings)).rejects.toMatchObject({ field: "bodyTemplate", message: expect.stringContaining("An unclosed { at character 5") });
    const jsonBody = { ...input({ method: "POST", bodyFormat: "json", bodyTemplate: "{}" }), bodyTemplate: '{"cid": "{aff_click_id", "s": "{status}"}' };
    await expect(createPostback(handle.db, affiliate, jsonBody, settings)).rejects.toMatchObject({ field: "bodyTemplate", message: expect.stringContaining("An unclosed { at character 10") });
    expect(await createPostback(handle.db, affiliate, { ...jsonBody, bodyTemplate: '{"cid": "{aff_click_id}", "s": {"v": "{status}"}}' }, settings)).toMatch(/^pb_/);

    // Test refuses it too, instead of sending the literal text and reporting the tracker's 200.
    tracker.received.length = 0;
    await expect(testPostback(handle.db, affiliate, { draft: unclosed }, settings)).rejects.toMatchObject(refusal);
    expect(tracker.received).toEqual([]);
  });

  it("reports every invalid field of a form at once, and a URL without its scheme with the https:// to add", () => {
    const parsed = postbackInputSchema.safeParse({
      name: "",
      scope: "all",
      urlTemplate: "tracker.example.com/postback?cid={aff_click_id}",
      method: "POST",
      bodyFormat: "form",
      bodyTemplate: "s={status",
      headers: "X-Click: {click_id",
    });
    const byField = Object.fromEntries((parsed.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));
    expect(byField).toEqual({
      name: "Give the postback a name.",
      statuses: "Pick at least one status.",
      urlTemplate: "Add the scheme: https://tracker.example.com/postback?cid={aff_click_id}",
      bodyTemplate: "An unclosed { at character 3: end the macro with }.",
      headers: "X-Click: An unclosed { at character 1: end the macro with }.",
    });
  });

  it("renders {clickid}, {subid} and {external_id} as the tracker's id the link got under those names, {click_id} as Postline's", async () => {
    const own = await createWorld(handle.db);
    const ownAffiliate = sessionUserFor(own.affiliateId, "affiliate");
    const click = await handleClick(handle.db, new Request(`http://postline.test/c/${own.code}?clickid=binom-7781`), own.code);
    const clickId = new URL(click.headers.get("location")!).searchParams.get("cid")!;
    const sale = await handleIncomingPostback(handle.db, postbackRequest(own.endpointId, { token: own.secret, click_id: clickId, txid: "T-1", status: "paid" }), own.endpointId);
    expect(sale.status).toBe(200);

    const template = `${tracker.url}/binom?cnv_id={clickid}&subid={subid}&ext={external_id}&pl={click_id}`;
    tracker.received.length = 0;
    const outcome = await testPostback(handle.db, ownAffiliate, { draft: input({ urlTemplate: template }) }, settings, "latest");
    expect(tracker.received.map((r) => r.url)).toEqual([`/binom?cnv_id=binom-7781&subid=binom-7781&ext=binom-7781&pl=${clickId}`]);
    expect(outcome.sample).toBe(false);
  });

  it("Test sends what the person chose: the sample values, or the latest conversion it matches, named", async () => {
    const own = await createWorld(handle.db);
    const ownAffiliate = sessionUserFor(own.affiliateId, "affiliate");
    const draft = input({ urlTemplate: `${tracker.url}/choice?cid={aff_click_id}&s={status}&conv={conversion_id}`, statuses: ["approved"] });

    // Nothing yet: "latest" is refused on its field, sample values go out.
    await expect(testPostback(handle.db, ownAffiliate, { draft }, settings, "latest")).rejects.toMatchObject({ code: "invalid_input", field: "testWith" });
    expect(await latestMatchingConversion(handle.db, { ownerOrgId: own.affiliateId, scope: "all", offerId: null, campaignId: null, merchantId: null, statuses: ["approved"] })).toBeNull();

    const click = await handleClick(handle.db, new Request(`http://postline.test/c/${own.code}?subid=kt-1`), own.code);
    const clickId = new URL(click.headers.get("location")!).searchParams.get("cid")!;
    const approved = await handleIncomingPostback(handle.db, postbackRequest(own.endpointId, { token: own.secret, click_id: clickId, txid: "T-9", status: "paid" }), own.endpointId);
    const conversionId = ((await approved.json()) as { conversion_id: string }).conversion_id;
    // A later event in a status the postback does not send is not the one it matches.
    await handleIncomingPostback(handle.db, postbackRequest(own.endpointId, { token: own.secret, click_id: clickId, txid: "T-9", status: "nope" }), own.endpointId);

    const matched = await latestMatchingConversion(handle.db, { ownerOrgId: own.affiliateId, scope: "all", offerId: null, campaignId: null, merchantId: null, statuses: ["approved"] });
    expect(matched).toMatchObject({ conversionId, status: "approved", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });

    tracker.received.length = 0;
    const sample = await testPostback(handle.db, ownAffiliate, { draft }, settings, "sample");
    expect(sample).toMatchObject({ sample: true, conversion: null });
    const latest = await testPostback(handle.db, ownAffiliate, { draft }, settings, "latest");
    expect(latest).toMatchObject({ sample: false, conversion: matched });
    expect(tracker.received.map((r) => r.url)).toEqual([
      "/choice?cid=your-click-id&s=approved&conv=conv_SAMPLE1234567890abc",
      `/choice?cid=kt-1&s=approved&conv=${conversionId}`,
    ]);
    // The form's field defaults to the sample values, as the preview shows them.
    expect(postbackTestSchema.parse(rawInput({})).testWith).toBe("sample");
  });
});

