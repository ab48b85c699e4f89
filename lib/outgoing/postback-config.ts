import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { customIssue, localizable } from "@/lib/platform/error-messages";
import type { Database, Executor } from "@/db/client";
import { campaigns, conversionEvents, conversions, deliveries, deliveryAttempts, memberships, offerGoals, offers, type OutgoingPostback, outgoingPostbacks } from "@/db/schema";
import type { DispatchSettings } from "./delivery-attempts";
import { recordAttempt, sendPostbackRequest } from "./delivery-attempts";
import { AppError } from "@/lib/platform/errors";
import { createId } from "@/lib/platform/ids";
import { SAMPLE_MACRO_VALUES } from "@/lib/tracking/macros";
import { type DescribedProblem, describedProblem, templateProblem } from "@/lib/tracking/template-problems";
import { approvedMembershipOf } from "@/lib/access/memberships";
import type { OutgoingRequest, OutgoingResult } from "./outgoing-http";
import { macroValuesFor, renderPostbackRequest } from "./postback-render";
import { CONVERSION_STATUSES } from "@/lib/conversions/statuses";
import { checkOutgoingUrl } from "./url-guard";
import type { Viewer } from "@/lib/access/users";

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));
const optionalId = z.preprocess((v) => (v === "" ? undefined : v), z.string().max(64).optional());
/** Goal keys, as a list (the API) or one line with commas or spaces (the form); none: every goal (null). */
const goalKeys = z
  .preprocess(
    (v) => (typeof v === "string" ? v.split(/[\s,]+/) : v ?? []),
    z.array(z.string().trim().toLowerCase()).transform((keys) => [...new Set(keys.filter(Boolean))]),
  )
  // Checked as a whole, so that the form shows the problem beside its one field.
  .refine((keys) => keys.length <= 50 && keys.every((key) => /^[a-z0-9_-]{1,40}$/.test(key)), localizable("errors.form.goalKeyFormat"))
  .transform((keys) => (keys.length > 0 ? keys : null));

/** "Name: value" lines, as a form's textarea sends them, or an object of names and values (the API). */
const headerLines = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
      : v && typeof v === "object" && !Array.isArray(v)
        ? // A line break in a value stays a control character, which the check below refuses.
          Object.entries(v).map(([name, value]) => `${name}: ${String(value).replace(/[\r\n]/g, "\u0001")}`).join("\n")
        : "",
  z.string().max(4000).transform((text, ctx) => {
    const headers: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      if (!line.trim()) continue;
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      if (colon < 1 || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
        ctx.addIssue(customIssue("errors.form.headerLine", { line: line.trim() }));
        return z.NEVER;
      }
      const value = line.slice(colon + 1).trim();
      if (/[\u0000-\u001f\u007f]/.test(value)) {
        ctx.addIssue(customIssue("errors.form.headerControl", { name }));
        return z.NEVER;
      }
      headers[name] = value;
    }
    return headers;
  }),
);

const postbackFields = z.object({
  name: z.string().trim().min(1, localizable("errors.form.postbackName")).max(100),
  scope: z.enum(["all", "offer", "campaign", "merchant"]),
  offerId: optionalId,
  campaignId: optionalId,
  merchantId: optionalId,
  statuses: list(z.enum(CONVERSION_STATUSES as ["lead", "approved", "rejected", "hold"])).refine((v) => v.length > 0, localizable("errors.form.pickStatus")),
  goals: goalKeys.optional().transform((v) => v ?? null),
  method: z.enum(["GET", "POST"]).default("GET"),
  bodyFormat: z.enum(["none", "form", "json"]).default("none"),
  urlTemplate: z.string().trim().min(1, localizable("errors.form.postbackUrl")).max(2000),
  bodyTemplate: z.string().max(10_000).optional().transform((v) => (v ? v : null)),
  headers: headerLines.default({}).meta({
    override: { type: ["object", "string"], additionalProperties: { type: "string" }, description: "Header names and values, or \"Name: value\" lines." },
  }),
  signingSecret: z.string().max(200).optional().transform((v) => (v ? v : null)),
  enabled: checkbox.default(true),
});

type TemplateFields = Pick<z.output<typeof postbackFields>, "method" | "bodyFormat" | "urlTemplate" | "bodyTemplate" | "headers">;

// The template checks as issues of their fields, so that a form shows them with the others at once.
function checkTemplates(input: TemplateFields, ctx: z.RefinementCtx) {
  for (const problem of postbackTemplateProblems(input)) {
    ctx.addIssue(customIssue(problem.key, problem.values, [problem.field]));
  }
}

export const postbackInputSchema = postbackFields.superRefine(checkTemplates);
export const postbackUpdateSchema = postbackFields.extend({ id: z.string().min(1).max(64) }).superRefine(checkTemplates);
export const postbackTestSchema = postbackFields
  .extend({ id: z.string().max(64).optional(), testWith: z.enum(["sample", "latest"]).default("sample") })
  .superRefine(checkTemplates);

export type PostbackInput = z.output<typeof postbackInputSchema>;
export type TemplateProblem = { field: "urlTemplate" | "bodyTemplate" | "headers" } & DescribedProblem;

/**
 * What is wrong with a postback's templates, at most one problem per field: a URL without its
 * scheme, a brace that opens or closes no macro (with its position), an unknown macro (with the
 * nearest known name), a JSON body that does not render to JSON. Each in English, with the
 * catalogue key and values a form or the API says it with in the reader's language.
 */
export function postbackTemplateProblems(input: TemplateFields): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const url = input.urlTemplate.trim();
  const urlProblem =
    url && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? describedProblem("errors.template.missingScheme", { url: shorten(url.replace(/^\/+/, "")) }) : templateProblem(url, "url");
  if (urlProblem) problems.push({ field: "urlTemplate", ...urlProblem });
  if (input.method === "POST") {
    const json = input.bodyFormat === "json";
    const body = input.bodyTemplate ?? "";
    let bodyProblem = templateProblem(body, json ? "text" : "url");
    if (!bodyProblem && json && !rendersToJson(input)) bodyProblem = describedProblem("errors.template.bodyNotJson", {});
    if (bodyProblem) problems.push({ field: "bodyTemplate", ...bodyProblem });
  }
  for (const [name, value] of Object.entries(input.headers)) {
    const headerProblem = templateProblem(value, "text", name);
    if (headerProblem) {
      problems.push({ field: "headers", ...headerProblem });
      break;
    }
  }
  return problems;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function rendersToJson(input: TemplateFields): boolean {
  const rendered = renderPostbackRequest({ ...input, method: "POST", bodyFormat: "json", signingSecret: null }, SAMPLE_MACRO_VALUES);
  try {
    JSON.parse(rendered.body ?? "");
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a postback's settings against what its owner may do (scope within its own offers,
 * campaigns and networks), refuses what `postbackTemplateProblems` finds (for callers that did
 * not parse with the schema) and a URL the SSRF guard refuses. Returns what to store.
 */
export async function validatePostback(db: Executor, owner: Viewer, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const scoped = await resolveScope(db, owner, input);
  const [problem] = postbackTemplateProblems(input);
  if (problem) throw new AppError("invalid_input", problem.key, { field: problem.field, values: problem.values });
  const rendered = renderPostbackRequest({ ...input, signingSecret: null }, SAMPLE_MACRO_VALUES);
  const verdict = await checkOutgoingUrl(rendered.url, guard);
  // A name that does not resolve today may tomorrow; an address the guard refuses will not pass.
  if (!verdict.ok && !verdict.reason.includes("does not resolve")) throw new AppError("invalid_input", verdict.reason, { field: "urlTemplate" });
  return {
    ...scoped,
    name: input.name,
    statuses: input.statuses,
    goals: input.goals,
    method: input.method,
    bodyFormat: input.method === "POST" ? (input.bodyFormat === "none" ? "form" : input.bodyFormat) : "none",
    urlTemplate: input.urlTemplate,
    bodyTemplate: input.method === "POST" ? input.bodyTemplate : null,
    headers: input.headers,
    enabled: input.enabled,
  } as const;
}

async function resolveScope(db: Executor, owner: Viewer, input: PostbackInput) {
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
      if (!offer) throw new AppError("invalid_input", "errors.outgoing.pickMemberOffer", { field: "offerId" });
      return { ...none, scope: "offer" as const, offerId: offer.id, recipientOrgId: owner.orgId };
    }
    if (input.scope === "campaign") {
      const [campaign] = input.campaignId
        ? await db.select({ id: campaigns.id }).from(campaigns).where(and(eq(campaigns.id, input.campaignId), eq(campaigns.affiliateId, owner.orgId)))
        : [];
      if (!campaign) throw new AppError("invalid_input", "errors.outgoing.pickCampaign", { field: "campaignId" });
      return { ...none, scope: "campaign" as const, campaignId: campaign.id, recipientOrgId: owner.orgId };
    }
  }
  if (owner.orgKind === "network") {
    if (input.scope === "offer") {
      const [offer] = input.offerId ? await db.select().from(offers).where(and(eq(offers.id, input.offerId), eq(offers.networkId, owner.orgId))) : [];
      if (!offer) throw new AppError("invalid_input", "errors.outgoing.pickOwnOffer", { field: "offerId" });
      return { ...none, scope: "offer" as const, offerId: offer.id, recipientOrgId: offer.merchantId };
    }
    if (input.scope === "merchant") {
      const [offer] = input.merchantId
        ? await db.select({ merchantId: offers.merchantId }).from(offers).where(and(eq(offers.merchantId, input.merchantId), eq(offers.networkId, owner.orgId))).limit(1)
        : [];
      if (!offer) throw new AppError("invalid_input", "errors.outgoing.pickServedMerchant", { field: "merchantId" });
      return { ...none, scope: "merchant" as const, merchantId: offer.merchantId, recipientOrgId: offer.merchantId };
    }
  }
  throw new AppError("invalid_input", "errors.outgoing.scopeUnavailable", { field: "scope" });
}

export async function createPostback(db: Executor, owner: Viewer, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const values = await validatePostback(db, owner, input, guard);
  const id = createId("postback");
  await db.insert(outgoingPostbacks).values({ id, ownerOrgId: owner.orgId, ...values, signingSecret: input.signingSecret });
  return id;
}

/** Updates the owner's postback; a blank signing secret keeps the stored one. Another owner's id is not found. */
export async function updatePostback(db: Executor, owner: Viewer, id: string, input: PostbackInput, guard: Pick<DispatchSettings, "allowedAddresses">) {
  const values = await validatePostback(db, owner, input, guard);
  const [row] = await db
    .update(outgoingPostbacks)
    .set({ ...values, ...(input.signingSecret ? { signingSecret: input.signingSecret } : {}), updatedAt: new Date() })
    .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    .returning({ id: outgoingPostbacks.id });
  if (!row) throw new AppError("not_found", "errors.notFound.postback");
  return row.id;
}

/** Pauses or resumes; resuming clears an automatic pause and its failure count. */
export async function setPostbackEnabled(db: Executor, owner: Viewer, id: string, enabled: boolean) {
  const [row] = await db
    .update(outgoingPostbacks)
    .set(enabled ? { enabled: true, pausedAt: null, pausedReason: null, consecutiveFailures: 0, updatedAt: new Date() } : { enabled: false, updatedAt: new Date() })
    .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    .returning({ id: outgoingPostbacks.id });
  if (!row) throw new AppError("not_found", "errors.notFound.postback");
}

/**
 * Deletes a postback with its deliveries (and, through them, their attempts); test attempts stay
 * in the log without it. Done here, not by foreign keys: the event tables keep none to
 * configuration rows (db/schema/clicks.ts says why).
 */
export async function deletePostback(db: Database, owner: Viewer, id: string) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(outgoingPostbacks)
      .where(and(eq(outgoingPostbacks.id, id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
      .returning({ id: outgoingPostbacks.id });
    if (!row) throw new AppError("not_found", "errors.notFound.postback");
    await tx.delete(deliveries).where(eq(deliveries.postbackId, id));
    await tx.update(deliveryAttempts).set({ postbackId: null }).where(eq(deliveryAttempts.postbackId, id));
  });
}

/** What Test sends: the preview's sample values, or the latest real conversion event the postback matches. */
export type TestWith = "sample" | "latest";

/** The conversion event a Test sent, or that it would send with "latest". */
export type MatchedConversion = { conversionId: string; status: string; at: string };

export type TestResult = { request: OutgoingRequest; result: OutgoingResult; sample: boolean; conversion: MatchedConversion | null };

type TestTarget = Pick<OutgoingPostback, "ownerOrgId" | "recipientOrgId" | "scope" | "offerId" | "campaignId" | "merchantId" | "statuses" | "goals" | "method" | "bodyFormat" | "urlTemplate" | "bodyTemplate" | "headers" | "signingSecret"> & { id: string | null };

/**
 * Test: renders a postback — a saved one, or the form's settings before they are saved — with the
 * preview's sample values or, with `testWith: "latest"`, the latest conversion event it would send
 * (refused when there is none), sends it through the same client and guard, and logs it as a test
 * attempt.
 */
export async function testPostback(
  db: Executor,
  owner: Viewer,
  target: { id: string; draft?: PostbackInput },
  settings: DispatchSettings,
  testWith?: TestWith,
): Promise<TestResult>;
export async function testPostback(db: Executor, owner: Viewer, target: { id?: string; draft: PostbackInput }, settings: DispatchSettings, testWith?: TestWith): Promise<TestResult>;
export async function testPostback(
  db: Executor,
  owner: Viewer,
  target: { id?: string; draft?: PostbackInput },
  settings: DispatchSettings,
  testWith: TestWith = "sample",
): Promise<TestResult> {
  const [saved] = target.id
    ? await db.select().from(outgoingPostbacks).where(and(eq(outgoingPostbacks.id, target.id), eq(outgoingPostbacks.ownerOrgId, owner.orgId)))
    : [];
  if (target.id && !saved) throw new AppError("not_found", "errors.notFound.postback");
  let postback: TestTarget;
  if (target.draft) {
    const values = await validatePostback(db, owner, target.draft, settings);
    // A blank secret in the edit form means "keep the saved one", as on save.
    postback = { ...values, id: saved?.id ?? null, ownerOrgId: owner.orgId, signingSecret: target.draft.signingSecret ?? saved?.signingSecret ?? null };
  } else {
    postback = saved;
  }
  const deliveryId = `dlv_test_${createId("attempt").slice(4, 16)}`;
  const latest = testWith === "latest" ? await latestMatchingEvent(db, { ...postback, ownerKind: owner.orgKind }) : null;
  if (testWith === "latest" && !latest) {
    throw new AppError("invalid_input", "errors.outgoing.noConversionToTest", { field: "testWith" });
  }
  const values = latest
    ? macroValuesFor({ ...latest, deliveryId, ownerKind: owner.orgKind })
    : { ...SAMPLE_MACRO_VALUES, delivery_id: deliveryId, ...(owner.orgKind === "affiliate" ? { revenue: null } : {}) };
  const request = renderPostbackRequest(postback, values);
  const result = await sendPostbackRequest(db, request, settings);
  await recordAttempt(db, { delivery: null, postback, attemptNumber: 1, trigger: "test", request, result });
  return { request, result, sample: !latest, conversion: latest && matchedConversion(latest) };
}

type MatchScope = Pick<OutgoingPostback, "ownerOrgId" | "scope" | "offerId" | "campaignId" | "merchantId" | "statuses"> & {
  goals?: string[] | null;
  /** The owner's party, when known: its conversions are then read down one index by time. */
  ownerKind?: Viewer["orgKind"];
};

/** The latest conversion event a postback with these settings would have been sent, for the form to name. */
export async function latestMatchingConversion(db: Executor, postback: MatchScope): Promise<MatchedConversion | null> {
  const latest = await latestMatchingEvent(db, postback);
  return latest && matchedConversion(latest);
}

function matchedConversion(row: { conversion: { id: string }; event: { toStatus: string; createdAt: Date } }): MatchedConversion {
  return { conversionId: row.conversion.id, status: row.event.toStatus, at: row.event.createdAt.toISOString() };
}

async function latestMatchingEvent(db: Executor, postback: MatchScope) {
  const [row] = await matchingEvents(db, postback, 1);
  return row ?? null;
}

/**
 * The last conversions a postback with these settings would have been sent, newest first, each with
 * the latest of its events the postback listens for: Test's latest conversion, and the dry run's
 * rows. Read down the owner's conversions by time, each event found through its conversion's key.
 */
export async function matchingEvents(db: Executor, postback: MatchScope, limit: number) {
  if (postback.statuses.length === 0) return [];
  const owned =
    postback.ownerKind === "affiliate" ? eq(conversions.affiliateId, postback.ownerOrgId)
    : postback.ownerKind === "network" ? eq(conversions.networkId, postback.ownerOrgId)
    : or(eq(conversions.affiliateId, postback.ownerOrgId), eq(conversions.networkId, postback.ownerOrgId));
  const scope =
    postback.scope === "offer" && postback.offerId ? eq(conversions.offerId, postback.offerId)
    : postback.scope === "campaign" && postback.campaignId ? eq(conversions.campaignId, postback.campaignId)
    : postback.scope === "merchant" && postback.merchantId ? eq(conversions.merchantId, postback.merchantId)
    : undefined;
  const event = db
    .select({
      id: conversionEvents.id,
      toStatus: conversionEvents.toStatus,
      originalStatus: conversionEvents.originalStatus,
      payout: conversionEvents.payout,
      revenue: conversionEvents.revenue,
      createdAt: conversionEvents.createdAt,
    })
    .from(conversionEvents)
    .where(and(eq(conversionEvents.conversionId, conversions.id), inArray(conversionEvents.toStatus, postback.statuses)))
    .orderBy(desc(conversionEvents.seq))
    .limit(1)
    .as("event");
  const rows = await db
    .select({
      conversion: conversions,
      event: { id: event.id, toStatus: event.toStatus, originalStatus: event.originalStatus, payout: event.payout, revenue: event.revenue, createdAt: event.createdAt },
    })
    .from(conversions)
    .innerJoinLateral(event, sql`true`)
    .where(and(owned, scope, postback.goals?.length ? inArray(conversions.goalKey, postback.goals) : undefined))
    .orderBy(desc(conversions.createdAt))
    .limit(limit);
  if (rows.length === 0) return [];
  // What rendering needs of the chosen few, by key: joined before the limit, every candidate's offer would be read.
  const offerIds = [...new Set(rows.map((r) => r.conversion.offerId))];
  const [offerRows, goalRows] = await Promise.all([
    db.select().from(offers).where(inArray(offers.id, offerIds)),
    db.select({ offerId: offerGoals.offerId, key: offerGoals.key, name: offerGoals.name }).from(offerGoals).where(inArray(offerGoals.offerId, offerIds)),
  ]);
  const offerById = new Map(offerRows.map((o) => [o.id, o]));
  const goalName = new Map(goalRows.map((g) => [`${g.offerId}:${g.key}`, g.name]));
  return rows.map(({ conversion, event: matched }) => ({
    conversion,
    event: matched,
    offer: offerById.get(conversion.offerId)!,
    goalName: goalName.get(`${conversion.offerId}:${conversion.goalKey}`) ?? null,
  }));
}
