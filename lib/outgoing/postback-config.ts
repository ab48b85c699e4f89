import { and, desc, eq, or } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { campaigns, clicks, conversionEvents, conversions, deliveries, deliveryAttempts, memberships, offers, type OutgoingPostback, outgoingPostbacks } from "@/db/schema";
import type { DispatchSettings } from "./delivery-attempts";
import { recordAttempt } from "./delivery-attempts";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { describeUnknownMacros, SAMPLE_MACRO_VALUES } from "@/lib/tracking/macros";
import { approvedMembershipOf } from "@/lib/access/memberships";
import { type OutgoingRequest, type OutgoingResult, sendGuardedRequest } from "./outgoing-http";
import { macroValuesFor, renderPostbackRequest } from "./postback-render";
import { CONVERSION_STATUSES } from "@/lib/conversions/statuses";
import { checkOutgoingUrl } from "./url-guard";
import type { SessionUser } from "@/lib/access/users";

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
const optionalId = z.preprocess((v) => (v === "" ? undefined : v), z.string().max(64).optional());

/** "Name: value" lines, as a form's textarea sends them. */
const headerLines = z.preprocess(
  (v) => (typeof v === "string" ? v : ""),
  z.string().max(4000).transform((text, ctx) => {
    const headers: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      if (colon < 1 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
        ctx.addIssue({ code: "custom", message: `"${line.trim()}" is not a header: write one "Name: value" per line.` });
        return z.NEVER;
      }
      const value = line.slice(colon + 1).trim();
      if (/[\u0000-\u001f\u007f]/.test(value)) {
        ctx.addIssue({ code: "custom", message: `The value of ${name} has a control character.` });
        return z.NEVER;
      }
      headers[name] = value;
    }
    return headers;
  }),
);

export const postbackInputSchema = z.object({
  name: z.string().trim().min(1, "Give the postback a name.").max(100),
  scope: z.enum(["all", "offer", "campaign", "merchant"]),
  offerId: optionalId,
  campaignId: optionalId,
  merchantId: optionalId,
  statuses: list(z.enum(CONVERSION_STATUSES as ["lead", "approved", "rejected", "hold"])).refine((v) => v.length > 0, "Pick at least one status."),
  method: z.enum(["GET", "POST"]).default("GET"),
  bodyFormat: z.enum(["none", "form", "json"]).default("none"),
  urlTemplate: z.string().trim().min(1, "Enter the postback URL.").max(2000),
  bodyTemplate: z.string().max(10_000).optional().transform((v) => (v ? v : null)),
  headers: headerLines,
  signingSecret: z.string().max(200).optional().transform((v) => (v ? v : null)),
  enabled: checkbox.default(true),
});

export type PostbackInput = z.output<typeof postbackInputSchema>;

/**
 * Checks a postback's settings against what its owner may do (scope within its own offers,
 * campaigns and networks), refuses unknown macros with the nearest known name, a JSON body that
 * does not render to JSON, and a URL the SSRF guard refuses. Returns what to store.
 */
export async function validatePostback(db: Executor, owner: SessionUser, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const scoped = await resolveScope(db, owner, input);
  for (const [field, template] of [["urlTemplate", input.urlTemplate], ["bodyTemplate", input.bodyTemplate ?? ""], ...Object.values(input.headers).map((v) => ["headers", v])] as const) {
    const unknown = describeUnknownMacros(template);
    if (unknown) throw new AppError("invalid_input", unknown, { field });
  }
  const rendered = renderPostbackRequest({ ...input, signingSecret: null, method: input.method, bodyFormat: input.bodyFormat }, SAMPLE_MACRO_VALUES);
  if (input.method === "POST" && input.bodyFormat === "json") {
    try {
      JSON.parse(rendered.body ?? "");
    } catch {
      throw new AppError("invalid_input", "The body template does not make valid JSON (put string macros inside quotes).", { field: "bodyTemplate" });
    }
  }
  const verdict = await checkOutgoingUrl(rendered.url, guard);
  // A name that does not resolve today may tomorrow; an address the guard refuses will not pass.
  if (!verdict.ok && !verdict.reason.includes("does not resolve")) throw new AppError("invalid_input", verdict.reason, { field: "urlTemplate" });
  return {
    ...scoped,
    name: input.name,
    statuses: input.statuses,
    method: input.method,
    bodyFormat: input.method === "POST" ? (input.bodyFormat === "none" ? "form" : input.bodyFormat) : "none",
    urlTemplate: input.urlTemplate,
    bodyTemplate: input.method === "POST" ? input.bodyTemplate : null,
    headers: input.headers,
    enabled: input.enabled,
  } as const;
}

async function resolveScope(db: Executor, owner: SessionUser, input: PostbackInput) {
  const none = { offerId: null, campaignId: null, merchantId: null };
  if (owner.orgKind === "affiliate") {
    if (input.scope === "all") return { ...none, scope: "all" as const, recipientOrgId: owner.orgId };
    if (input.scope === "offer") {
      const [offer] = input.offerId
        ? await db
            .select({ id: offers.id })
            .from(offers)
            .innerJoin(memberships, approvedMembershipOf(owner.orgId))
            .where(eq(offers.id, input.offerId))
        : [];
      if (!offer) throw new AppError("invalid_input", "Pick an offer of a network you are an approved member of.", { field: "offerId" });
      return { ...none, scope: "offer" as const, offerId: offer.id, recipientOrgId: owner.orgId };
    }
    if (input.scope === "campaign") {
      const [campaign] = input.campaignId
        ? await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.id, input.campaignId), eq(campaigns.affiliateId, owner.orgId)))
        : [];
      if (!campaign) throw new AppError("invalid_input", "Pick one of your campaigns.", { field: "campaignId" });
      return { ...none, scope: "campaign" as const, campaignId: campaign.id, recipientOrgId: owner.orgId };
    }
  }
  if (owner.orgKind === "network") {
    if (input.scope === "offer") {
      const [offer] = input.offerId ? await db.select().from(offers).where(and(eq(offers.id, input.offerId), eq(offers.networkId, owner.orgId))) : [];
      if (!offer) throw new AppError("invalid_input", "Pick one of your offers.", { field: "offerId" });
      return { ...none, scope: "offer" as const, offerId: offer.id, recipientOrgId: offer.merchantId };
    }
    if (input.scope === "merchant") {
      const [offer] = input.merchantId
        ? await db.select({ merchantId: offers.merchantId }).from(offers).where(and(eq(offers.merchantId, input.merchantId), eq(offers.networkId, owner.orgId))).limit(1)
        : [];
      if (!offer) throw new AppError("invalid_input", "Pick a merchant you run offers for.", { field: "merchantId" });
      return { ...none, scope: "merchant" as const, merchantId: offer.merchantId, recipientOrgId: offer.merchantId };
    }
  }
  throw new AppError("invalid_input", "This scope is not available to your organization.", { field: "scope" });
}

export async function createPostback(db: Executor, owner: SessionUser, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const values = await validatePostback(db, owner, input, guard);
  const id = createId("postback");
  await db.insert(outgoingPostbacks).values({ id, ownerOrgId: owner.orgId, ...values, signingSecret: input.signingSecret });
  return id;
}

/** Updates the owner's postback; a blank signing secret keeps the stored one. Another owner's id is not found. */
export async function updatePostback(db: Executor, owner: SessionUser, id: string, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const values = await validatePostback(db, owner, input, guard);
  const [row] = await db
    .update(outgoingPostbacks)
    .set({ ...values, ...(input.signingSecret ? { signingSecret: input.signingSecret } : {}), updatedAt: new Date() })
    .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    .returning({ id: outgoingPostbacks.id });
  if (!row) throw new AppError("not_found", "No postback of yours has this id.");
  return row.id;
}

/** Pauses or resumes; resuming clears an automatic pause and its failure count. */
export async function setPostbackEnabled(db: Executor, owner: SessionUser, id: string, enabled: boolean) {
  const [row] = await db
    .update(outgoingPostbacks)
    .set(enabled ? { enabled: true, pausedAt: null, pausedReason: null, consecutiveFailures: 0, updatedAt: new Date() } : { enabled: false, updatedAt: new Date() })
    .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    .returning({ id: outgoingPostbacks.id });
  if (!row) throw new AppError("not_found", "No postback of yours has this id.");
}

/**
 * Deletes a postback with its deliveries (and, through them, their attempts); test attempts stay
 * in the log without it. Done here, not by foreign keys: the event tables keep none to
 * configuration rows (db/schema/clicks.ts says why).
 */
export async function deletePostback(db: Database, owner: SessionUser, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(outgoingPostbacks)
      .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
      .returning({ id: outgoingPostbacks.id });
    if (!row) throw new AppError("not_found", "No postback of yours has this id.");
    await tx.delete(deliveries).where(eq(deliveries.postbackId, id));
    await tx.update(deliveryAttempts).set({ postbackId: null }).where(eq(deliveryAttempts.postbackId, id));
  });
}

export type TestResult = { request: OutgoingRequest; result: OutgoingResult; sample: boolean };

type TestTarget = Pick<OutgoingPostback, "ownerOrgId" | "recipientOrgId" | "scope" | "offerId" | "campaignId" | "merchantId" | "method" | "bodyFormat" | "urlTemplate" | "bodyTemplate" | "headers" | "signingSecret"> & { id: string | null };

/**
 * Test: renders a postback — a saved one, or the form's settings before they are saved — with the
 * most recent conversion of its scope (sample values when there is none), sends it through the same
 * client and guard, and logs it as a test attempt.
 */
export async function testPostback(
  db: Executor,
  owner: SessionUser,
  target: { id: string; draft?: PostbackInput },
  settings: DispatchSettings,
): Promise<TestResult>;
export async function testPostback(db: Executor, owner: SessionUser, target: { id?: string; draft: PostbackInput }, settings: DispatchSettings): Promise<TestResult>;
export async function testPostback(db: Executor, owner: SessionUser, target: { id?: string; draft?: PostbackInput }, settings: DispatchSettings): Promise<TestResult> {
  const [saved] = target.id
    ? await db.select().from(outgoingPostbacks).where(and(eq(outgoingPostbacks.id, target.id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    : [];
  if (target.id && !saved) throw new AppError("not_found", "No postback of yours has this id.");
  let postback: TestTarget;
  if (target.draft) {
    const values = await validatePostback(db, owner, target.draft, settings);
    // A blank secret in the edit form means "keep the saved one", as on save.
    postback = { ...values, id: saved?.id ?? null, ownerOrgId: owner.orgId, signingSecret: target.draft.signingSecret ?? saved?.signingSecret ?? null };
  } else {
    postback = saved;
  }
  const deliveryId = `dlv_test_${createId("attempt").slice(4, 16)}`;
  const recent = await recentConversionFor(db, postback);
  const values = recent
    ? macroValuesFor({ ...recent, deliveryId, ownerKind: owner.orgKind })
    : { ...SAMPLE_MACRO_VALUES, delivery_id: deliveryId, ...(owner.orgKind === "affiliate" ? { revenue: null } : {}) };
  const request = renderPostbackRequest(postback, values);
  const result = await sendGuardedRequest(request, settings);
  await recordAttempt(db, { delivery: null, postback, attemptNumber: 1, trigger: "test", request, result });
  return { request, result, sample: !recent };
}

async function recentConversionFor(db: Executor, postback: TestTarget) {
  const owned = or(eq(conversions.affiliateId, postback.ownerOrgId), eq(conversions.networkId, postback.ownerOrgId));
  const scope =
    postback.scope === "offer" && postback.offerId ? eq(conversions.offerId, postback.offerId)
    : postback.scope === "campaign" && postback.campaignId ? eq(conversions.campaignId, postback.campaignId)
    : postback.scope === "merchant" && postback.merchantId ? eq(conversions.merchantId, postback.merchantId)
    : undefined;
  const [row] = await db
    .select({ conversion: conversions, event: conversionEvents, offer: offers, click: clicks })
    .from(conversions)
    .innerJoin(conversionEvents, eq(conversionEvents.conversionId, conversions.id))
    .innerJoin(offers, eq(offers.id, conversions.offerId))
    .leftJoin(clicks, eq(clicks.id, conversions.clickId))
    .where(and(owned, scope))
    .orderBy(desc(conversionEvents.seq))
    .limit(1);
  return row ?? null;
}
