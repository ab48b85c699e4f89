import { createHmac } from "node:crypto";
import type { Conversion, ConversionEvent, Offer, OutgoingPostback } from "@/db/schema";
import { type MacroValues, renderTemplate } from "@/lib/tracking/macros";
import type { OutgoingRequest } from "./outgoing-http";

/** Amounts as trackers expect them: "12.50", not "12.5000"; extra precision kept when present. */
export function formatAmount(value: string | null | undefined): string | null {
  if (value == null) return null;
  const [whole, fraction = ""] = value.split(".");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${whole}.${trimmed}`;
}

/** What a postback renders from: never the click row, which retention drops (the conversion copied what it needs). */
export type RenderSource = {
  conversion: Conversion;
  event: Pick<ConversionEvent, "toStatus" | "originalStatus" | "payout" | "revenue" | "createdAt">;
  offer: Pick<Offer, "id" | "name">;
  /** The conversion's goal's name; absent for the default goal. */
  goalName?: string | null;
  deliveryId: string;
  /** Whose postback this is: an affiliate's never carries the network's revenue. */
  ownerKind: "affiliate" | "network" | "merchant" | "platform";
};

/** The macro values of one conversion event: the event's status and amounts, the click's sub-ids. */
export function macroValuesFor({ conversion, event, offer, goalName, deliveryId, ownerKind }: RenderSource): MacroValues {
  return {
    click_id: conversion.clickId,
    aff_click_id: conversion.affClickId,
    sub1: conversion.sub1, sub2: conversion.sub2, sub3: conversion.sub3, sub4: conversion.sub4, sub5: conversion.sub5,
    sub6: conversion.sub6, sub7: conversion.sub7, sub8: conversion.sub8, sub9: conversion.sub9, sub10: conversion.sub10,
    source: conversion.clickSource,
    conversion_id: conversion.id,
    transaction_id: conversion.transactionId,
    status: event.toStatus,
    original_status: event.originalStatus ?? conversion.originalStatus,
    payout: formatAmount(event.payout ?? conversion.payout),
    // What the network earns is the network's business, not its affiliates'.
    revenue: ownerKind === "affiliate" ? null : formatAmount(event.revenue ?? conversion.revenue),
    sale_amount: formatAmount(conversion.saleAmount),
    currency: conversion.currency,
    offer_id: offer.id,
    offer_name: offer.name,
    goal: conversion.goalKey,
    goal_name: goalName ?? (conversion.goalKey === "default" ? offer.name : conversion.goalKey),
    campaign_id: conversion.campaignId,
    affiliate_id: conversion.affiliateId,
    network_id: conversion.networkId,
    merchant_id: conversion.merchantId,
    ip: conversion.clickIp,
    user_agent: conversion.clickUserAgent,
    country: conversion.clickCountry,
    click_time: conversion.clickedAt?.toISOString(),
    conversion_time: conversion.createdAt.toISOString(),
    delivery_id: deliveryId,
  };
}

export type PostbackTemplate = Pick<OutgoingPostback, "method" | "bodyFormat" | "urlTemplate" | "bodyTemplate" | "headers" | "signingSecret">;

/**
 * The request a postback makes for one delivery. Every request carries the delivery id
 * (`webhook-id`, the same on every retry, for receivers to dedupe on) and, when the postback has a
 * signing secret, a Standard Webhooks signature over id, timestamp and body.
 */
export function renderPostbackRequest(postback: PostbackTemplate, values: MacroValues, now = new Date()): OutgoingRequest {
  const deliveryId = String(values.delivery_id ?? "");
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const withTime = { ...values, timestamp };
  const url = renderTemplate(postback.urlTemplate, withTime, "url");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(postback.headers ?? {})) {
    // A header carries printable ASCII only: anything else from a click (a newline, an emoji) is percent-encoded.
    headers[name] = renderTemplate(value, withTime, "none").replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c));
  }

  let body: string | undefined;
  if (postback.method === "POST") {
    const format = postback.bodyFormat === "none" ? "form" : postback.bodyFormat;
    body = renderTemplate(postback.bodyTemplate ?? "", withTime, format === "json" ? "json" : "url");
    headers["content-type"] = format === "json" ? "application/json" : "application/x-www-form-urlencoded";
  }
  headers["webhook-id"] = deliveryId;
  headers["webhook-timestamp"] = timestamp;
  headers["x-postline-delivery-id"] = deliveryId;
  if (postback.signingSecret) {
    headers["webhook-signature"] = signStandardWebhook(postback.signingSecret, deliveryId, timestamp, body ?? "");
  }
  return { method: postback.method, url, headers, body };
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`; a `whsec_` secret is base64. */
export function signStandardWebhook(secret: string, id: string, timestamp: string, body: string): string {
  const key = secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

const SENSITIVE = /auth|token|secret|key|cookie|password|session/i;

/** Headers and URLs as the attempt log shows them: values of secret-looking names masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SENSITIVE.test(k) ? "••••" : v]));
}

export function maskUrl(raw: string): string {
  return raw
    .replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, sep: string, key: string) => (SENSITIVE.test(key) ? `${sep}${key}=••••` : whole))
    .replace(/\/\/([^/@:]+):([^/@]*)@/, "//$1:••••@");
}
