import { and, asc, eq, inArray, isNull, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/db/client";
import {
  apiKeys,
  type ConversionStatus,
  conversionEvents,
  conversions,
  deliveries,
  deliveryAttempts,
  incomingPostbackLog,
  offers,
  organizations,
  outgoingPostbacks,
  type ProgramDecision,
  users,
} from "@/db/schema";
import type { Viewer } from "@/lib/access/users";
import { AppError } from "@/lib/platform/errors";
import { maskForeignAttempt } from "@/lib/reports/logs";
import { landingMacroValues } from "@/lib/tracking/clicks";
import { renderTemplate } from "@/lib/tracking/macros";
import { decisionsSeenBy } from "@/lib/program/caps";
import { amountsAsSent } from "@/lib/program/exchange-rates";
import type { EventSource } from "./conversions";

type Party = "network" | "merchant" | "affiliate";

export type TimelineClick = {
  kind: "click";
  at: string;
  clickId: string;
  country: string | null;
  /** The affiliate's own values (sub-ids, its tracker's click id, source); null for the merchant. */
  affiliateValues: { subs: Record<string, string>; affClickId: string | null; source: string | null } | null;
  /** The offer's landing URL as this click fills it; null for the affiliate (the network's business). */
  landingUrl: string | null;
};

export type TimelineIncoming = {
  kind: "incoming";
  at: string;
  id: string;
  method: string;
  result: "accepted" | "duplicate" | "ignored" | "rejected";
  httpStatus: number;
  errorCode: string | null;
  /** The refusal's or the ignore's reason. */
  message: string | null;
  status: ConversionStatus | null;
  originalStatus: string | null;
  transactionId: string | null;
  /** Whether the request was recorded against this conversion (a refusal names only its click). */
  matched: boolean;
  /** The parameters as logged (secrets masked); null for the affiliate, whose request it is not. */
  params: Record<string, unknown> | null;
  sourceIp: string | null;
  durationMs: number | null;
};

export type TimelineStatus = {
  kind: "status";
  at: string;
  id: string;
  change: "created" | "status_changed" | "reversal";
  from: ConversionStatus | null;
  to: ConversionStatus;
  source: EventSource;
  /** Who or what made the change; the page says it in the reader's language. */
  actor: TimelineActor;
  originalStatus: string | null;
  /** Null where the reader may not see it (the merchant the payout, the affiliate the revenue). */
  payout: string | null;
  revenue: string | null;
  incomingLogId: string | null;
  /** The offer's rules and caps that decided a new conversion, with their reasons. */
  decisions: ProgramDecision[];
};

/**
 * Who or what made a status change, as the reader may know it. `name` is the network's user or API
 * key, given to the network only (`network_user`, `network_api_key`); null otherwise.
 */
export type TimelineActor = {
  kind: "merchant_postback" | "affiliate_lead" | "network" | "network_user" | "network_api_key" | "hold_expiry" | "rule" | "cap";
  name: string | null;
};

export type TimelineRequest = { method: string; url: string; headers: Record<string, string>; body: string | null };

export type TimelineAttempt = {
  kind: "attempt";
  at: string;
  id: string;
  deliveryId: string;
  postbackName: string;
  attemptNumber: number;
  trigger: string;
  ok: boolean;
  durationMs: number;
  errorClass: string | null;
  errorMessage: string | null;
  /** As sent, with secrets masked; another organization's postback (read by the network) masked further. */
  request: TimelineRequest;
  response: { status: number | null; headers: Record<string, string> | null; body: string | null };
};

/** A pending delivery's next attempt, or a held conversion's approval: what is still to come. */
export type TimelineScheduled =
  | { kind: "next_attempt"; at: string; deliveryId: string; postbackName: string; attemptNumber: number }
  | { kind: "hold_ends"; at: string };

export type TimelineEntry = TimelineClick | TimelineIncoming | TimelineStatus | TimelineAttempt | TimelineScheduled;

export type TimelineDelivery = {
  id: string;
  postbackName: string;
  destinationHost: string;
  ownerName: string;
  /** The reader's own postback; `masked`: neither its own nor sent to it (the network reading an affiliate's). */
  own: boolean;
  masked: boolean;
  /** The status change it relays. */
  forStatus: ConversionStatus;
  state: "pending" | "delivered" | "failed" | "cancelled";
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
};

export type ConversionTimeline = {
  viewer: Party;
  conversion: {
    id: string;
    status: ConversionStatus;
    originalStatus: string | null;
    offerId: string;
    offerName: string;
    goalKey: string;
    networkName: string;
    merchantName: string;
    affiliateName: string;
    clickId: string;
    transactionId: string | null;
    currency: string;
    payout: string | null;
    revenue: string | null;
    /** The payout rules that set the payout and the revenue (the network's only). */
    payoutRuleId: string | null;
    revenueRuleId: string | null;
    saleAmount: string | null;
    /** The amounts as the merchant sent them in another currency, before the network's exchange rate; each as the reader may see it. */
    sentAs: { currency: string; payout: string | null; revenue: string | null; saleAmount: string | null } | null;
    flagged: boolean;
    holdUntil: string | null;
    createdAt: string;
  };
  deliveries: TimelineDelivery[];
  /** Everything that happened to it, oldest first, on one time axis (UTC instants). */
  entries: TimelineEntry[];
};

const networkOrg = alias(organizations, "network_org");
const merchantOrg = alias(organizations, "merchant_org");
const affiliateOrg = alias(organizations, "affiliate_org");

function conversionScope(viewer: Viewer): SQL {
  if (viewer.orgKind === "network") return eq(conversions.networkId, viewer.orgId);
  if (viewer.orgKind === "merchant") return eq(conversions.merchantId, viewer.orgId);
  if (viewer.orgKind === "affiliate") return eq(conversions.affiliateId, viewer.orgId);
  throw new AppError("not_found", "errors.notFound.conversion");
}

/**
 * One conversion's story for one party: its click, every incoming request that named its click
 * (accepted or refused), every status change and who made it, and every delivery the reader may
 * see with each attempt, on one time axis. What each party may read: the affiliate never the
 * merchant's requests' parameters or the revenue; the merchant never the affiliate's postbacks or
 * the payout; the network all of it, another organization's postbacks masked. Another
 * organization's conversion is "not found".
 */
export async function conversionTimeline(db: Executor, viewer: Viewer, conversionId: string): Promise<ConversionTimeline> {
  const scope = conversionScope(viewer);
  const party = viewer.orgKind as Party;
  const [row] = conversionId.length > 64
    ? []
    : await db
        .select({
          conversion: conversions,
          offerName: offers.name,
          landingUrl: offers.landingUrl,
          networkName: networkOrg.name,
          merchantName: merchantOrg.name,
          affiliateName: affiliateOrg.name,
        })
        .from(conversions)
        .innerJoin(offers, eq(offers.id, conversions.offerId))
        .innerJoin(networkOrg, eq(networkOrg.id, conversions.networkId))
        .innerJoin(merchantOrg, eq(merchantOrg.id, conversions.merchantId))
        .innerJoin(affiliateOrg, eq(affiliateOrg.id, conversions.affiliateId))
        .where(and(eq(conversions.id, conversionId), scope));
  if (!row) throw new AppError("not_found", "errors.notFound.conversion");
  const { conversion } = row;
  const sees = { payout: party !== "merchant", revenue: party !== "affiliate" };

  const [incoming, events, visibleDeliveries] = await Promise.all([
    // Every request that named the click at this conversion's endpoint owners: those recorded against
    // it, and refusals (which name only the click); never another conversion's of the same click.
    db
      .select()
      .from(incomingPostbackLog)
      .where(
        and(
          eq(incomingPostbackLog.clickId, conversion.clickId),
          eq(incomingPostbackLog.networkId, conversion.networkId),
          eq(incomingPostbackLog.merchantId, conversion.merchantId),
          or(eq(incomingPostbackLog.conversionId, conversion.id), isNull(incomingPostbackLog.conversionId)),
        ),
      )
      .orderBy(asc(incomingPostbackLog.seq)),
    db
      .select({ event: conversionEvents, actorName: users.name, actorKeyName: apiKeys.name })
      .from(conversionEvents)
      .leftJoin(users, eq(users.id, conversionEvents.actorUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, conversionEvents.actorApiKeyId))
      .where(eq(conversionEvents.conversionId, conversion.id))
      .orderBy(asc(conversionEvents.seq)),
    db
      .select({
        delivery: deliveries,
        postbackName: outgoingPostbacks.name,
        ownerName: organizations.name,
        forStatus: conversionEvents.toStatus,
      })
      .from(deliveries)
      .innerJoin(outgoingPostbacks, eq(outgoingPostbacks.id, deliveries.postbackId))
      .innerJoin(organizations, eq(organizations.id, deliveries.ownerOrgId))
      .innerJoin(conversionEvents, eq(conversionEvents.id, deliveries.conversionEventId))
      .where(
        and(
          eq(deliveries.conversionId, conversion.id),
          // The network reads every delivery of its conversions; the others only their own or those sent to them.
          party === "network" ? undefined : or(eq(deliveries.ownerOrgId, viewer.orgId), eq(deliveries.recipientOrgId, viewer.orgId)),
        ),
      )
      .orderBy(asc(deliveries.seq)),
  ]);
  const deliveryIds = visibleDeliveries.map((d) => d.delivery.id);
  const attempts = deliveryIds.length === 0
    ? []
    : await db.select().from(deliveryAttempts).where(inArray(deliveryAttempts.deliveryId, deliveryIds)).orderBy(asc(deliveryAttempts.seq));

  const summaries: TimelineDelivery[] = visibleDeliveries.map(({ delivery, postbackName, ownerName, forStatus }) => ({
    id: delivery.id,
    postbackName,
    destinationHost: delivery.destinationHost,
    ownerName,
    own: delivery.ownerOrgId === viewer.orgId,
    masked: delivery.ownerOrgId !== viewer.orgId && delivery.recipientOrgId !== viewer.orgId,
    forStatus,
    state: delivery.state,
    attempts: delivery.attempts,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.state === "pending" ? delivery.nextAttemptAt.toISOString() : null,
  }));
  const byDelivery = new Map(summaries.map((d) => [d.id, d]));

  const entries: TimelineEntry[] = [];
  // The click as the conversion copied it: the click row itself is dropped by retention.
  if (conversion.clickedAt) {
    const click = {
      ...conversion,
      id: conversion.clickId,
      source: conversion.clickSource,
      ip: conversion.clickIp,
      userAgent: conversion.clickUserAgent,
      country: conversion.clickCountry,
      createdAt: conversion.clickedAt,
    };
    const subs = Object.fromEntries(
      (["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10"] as const).flatMap((k) => (click[k] ? [[k, click[k]]] : [])),
    );
    entries.push({
      kind: "click",
      at: click.createdAt.toISOString(),
      clickId: click.id,
      country: click.country,
      affiliateValues: party === "merchant" ? null : { subs, affClickId: click.affClickId, source: click.source },
      landingUrl:
        party === "affiliate"
          ? null
          : renderTemplate(
              row.landingUrl,
              landingMacroValues(click, { ...conversion, offerName: row.offerName }),
            ),
    });
  }

  for (const r of incoming) {
    entries.push({
      kind: "incoming",
      at: r.createdAt.toISOString(),
      id: r.id,
      method: r.method,
      result: r.result,
      httpStatus: r.httpStatus,
      errorCode: r.errorCode,
      message: r.message,
      status: r.status,
      originalStatus: r.originalStatus,
      transactionId: r.transactionId,
      matched: r.conversionId === conversion.id,
      params: party === "affiliate" ? null : r.params,
      sourceIp: party === "affiliate" ? null : r.sourceIp,
      durationMs: r.durationMs,
    });
  }

  for (const { event, actorName, actorKeyName } of events) {
    entries.push({
      kind: "status",
      at: event.createdAt.toISOString(),
      id: event.id,
      change: event.kind,
      from: event.fromStatus,
      to: event.toStatus,
      source: event.source,
      actor: actorOf(event.source, party, actorName, actorKeyName),
      originalStatus: event.originalStatus,
      payout: sees.payout ? event.payout : null,
      revenue: sees.revenue ? event.revenue : null,
      incomingLogId: event.incomingLogId,
      decisions: event.kind === "created" ? decisionsSeenBy(party, conversion.decisions) : [],
    });
  }

  for (const attempt of attempts) {
    const delivery = byDelivery.get(attempt.deliveryId!)!;
    const shown = delivery.masked ? maskForeignAttempt(attempt) : attempt;
    entries.push({
      kind: "attempt",
      at: attempt.createdAt.toISOString(),
      id: attempt.id,
      deliveryId: delivery.id,
      postbackName: delivery.postbackName,
      attemptNumber: attempt.attemptNumber,
      trigger: attempt.trigger,
      ok: attempt.ok,
      durationMs: attempt.durationMs,
      errorClass: attempt.errorClass,
      errorMessage: attempt.errorMessage,
      request: { method: shown.method, url: shown.url, headers: shown.requestHeaders, body: shown.requestBody },
      response: { status: shown.responseStatus, headers: shown.responseHeaders, body: shown.responseBody },
    });
  }
  for (const d of summaries) {
    if (d.nextAttemptAt) entries.push({ kind: "next_attempt", at: d.nextAttemptAt, deliveryId: d.id, postbackName: d.postbackName, attemptNumber: d.attempts + 1 });
  }
  if (conversion.status === "hold" && conversion.holdUntil) entries.push({ kind: "hold_ends", at: conversion.holdUntil.toISOString() });

  // A request, the change it made and the deliveries it queued commit together (one instant): the
  // cause goes first.
  const order = { click: 0, incoming: 1, status: 2, attempt: 3, next_attempt: 4, hold_ends: 5 } as const;
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : order[a.kind] - order[b.kind]));

  return {
    viewer: party,
    conversion: {
      id: conversion.id,
      status: conversion.status,
      originalStatus: conversion.originalStatus,
      offerId: conversion.offerId,
      offerName: row.offerName,
      goalKey: conversion.goalKey,
      networkName: row.networkName,
      merchantName: row.merchantName,
      affiliateName: row.affiliateName,
      clickId: conversion.clickId,
      transactionId: conversion.transactionId,
      currency: conversion.currency,
      payout: sees.payout ? conversion.payout : null,
      revenue: sees.revenue ? conversion.revenue : null,
      payoutRuleId: party === "network" ? conversion.payoutRuleId : null,
      revenueRuleId: party === "network" ? conversion.revenueRuleId : null,
      saleAmount: conversion.saleAmount,
      sentAs: sentAsSeen(amountsAsSent(conversion.details), sees),
      flagged: conversion.flagged,
      holdUntil: conversion.holdUntil?.toISOString() ?? null,
      createdAt: conversion.createdAt.toISOString(),
    },
    deliveries: summaries,
    entries,
  };
}

function sentAsSeen(sent: ReturnType<typeof amountsAsSent>, sees: { payout: boolean; revenue: boolean }) {
  if (!sent) return null;
  const seen = { ...sent, payout: sees.payout ? sent.payout : null, revenue: sees.revenue ? sent.revenue : null };
  // Nothing the reader may see was converted: not even that something was.
  return seen.payout ?? seen.revenue ?? seen.saleAmount ? seen : null;
}

/** Who or what made a status change, as the reader may know it: the network's user or key by name to the network only. */
function actorOf(source: EventSource, party: Party, actorName: string | null, actorKeyName: string | null): TimelineActor {
  switch (source) {
    case "incoming_postback":
      return { kind: "merchant_postback", name: null };
    case "lead_api":
      return { kind: "affiliate_lead", name: null };
    case "manual":
      // Who at the network, or which of its API keys, is the network's own business.
      if (party === "network" && actorKeyName !== null) return { kind: "network_api_key", name: actorKeyName };
      return party === "network" && actorName ? { kind: "network_user", name: actorName } : { kind: "network", name: null };
    case "hold_expiry":
      return { kind: "hold_expiry", name: null };
    case "rule":
      return { kind: "rule", name: null };
    case "cap":
      return { kind: "cap", name: null };
  }
}
