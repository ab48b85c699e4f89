import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { boundRow, preparedStatement, valuesOf } from "@/db/prepared";
import { capCounters, caps, type Click, clicks, conversionRules, memberships, offers, organizations, trackingLinks } from "@/db/schema";
import { type CapTerms, periodStart } from "@/lib/program/caps";
import { blockedValue, type RuleTerms } from "@/lib/program/rules";
import { clientIp } from "@/lib/platform/http";
import { createId } from "@/lib/platform/ids";
import { type MacroValues, renderTemplate } from "./macros";
import { parseTrackingParams } from "./tracking-params";

type LinkTarget = {
  linkId: string;
  campaignId: string;
  affiliateId: string;
  offerId: string;
  offerName: string;
  networkId: string;
  merchantId: string;
  landingUrl: string;
  offerActive: boolean;
  affiliateApproved: boolean;
  /** Where clicks go while a cap of the offer (for every goal) is reached; its caps' counters by period. */
  capFallbackUrl: string | null;
  capState: { period: CapTerms["period"]; limit: string; used: Record<string, string> | null }[];
  /** The rejecting blocks (of sub ids or IPs) for this link's affiliate, read with a fallback only: their clicks go there too. */
  blocks: Pick<RuleTerms, "kind" | "param" | "blockedValues">[];
  timeZone: string;
};

// The click path is the hottest one: a link's target is read at most once per LINK_CACHE_MS per
// instance. Pausing an offer or an affiliate, or a new cap or block, takes up to that long to show on links.
const LINK_CACHE_MS = 10_000;
const linkCache = new Map<string, { value: LinkTarget | null; expires: number }>();

async function resolveLink(db: Database, code: string): Promise<LinkTarget | null> {
  const cached = linkCache.get(code);
  if (cached && cached.expires > Date.now()) return cached.value;
  const [row] =
    code.length <= 64
      ? await db
          .select({
            linkId: trackingLinks.id,
            campaignId: trackingLinks.campaignId,
            affiliateId: trackingLinks.affiliateId,
            offerId: offers.id,
            offerName: offers.name,
            networkId: offers.networkId,
            merchantId: offers.merchantId,
            landingUrl: offers.landingUrl,
            offerStatus: offers.status,
            membershipStatus: memberships.status,
            capFallbackUrl: offers.capFallbackUrl,
            // Read only for an offer with a fallback: the hard caps on every goal, for this link's
            // affiliate or all (a soft cap, action flag, lets traffic through).
            capState: sql<LinkTarget["capState"]>`case when ${offers.capFallbackUrl} is null then '[]'::json else (
              select coalesce(json_agg(json_build_object('period', c.period, 'limit', c.cap_limit::text,
                'used', (select json_object_agg(cc.period_start, cc.used::text) from ${capCounters} cc where cc.cap_id = c.id))), '[]'::json)
              from ${caps} c where c.offer_id = ${offers.id} and c.goal_key is null and c.action <> 'flag' and (c.affiliate_id is null or c.affiliate_id = ${trackingLinks.affiliateId})) end`,
            blocks: sql<LinkTarget["blocks"]>`case when ${offers.capFallbackUrl} is null then '[]'::json else (
              select coalesce(json_agg(json_build_object('kind', r.kind, 'param', r.param, 'blockedValues', r.blocked_values)), '[]'::json)
              from ${conversionRules} r where r.offer_id = ${offers.id} and r.kind in ('blocked_subs', 'blocked_ips') and r.action = 'reject' and (r.affiliate_id is null or r.affiliate_id = ${trackingLinks.affiliateId})) end`,
            timeZone: sql<string>`(select time_zone from ${organizations} where id = ${offers.networkId})`,
          })
          .from(trackingLinks)
          .innerJoin(offers, eq(offers.id, trackingLinks.offerId))
          .leftJoin(memberships, and(eq(memberships.networkId, offers.networkId), eq(memberships.affiliateId, trackingLinks.affiliateId)))
          .where(eq(trackingLinks.code, code))
          .limit(1)
      : [];
  const value: LinkTarget | null = row
    ? { ...row, offerActive: row.offerStatus === "active", affiliateApproved: row.membershipStatus === "approved" }
    : null;
  if (linkCache.size > 10_000) linkCache.clear();
  linkCache.set(code, { value, expires: Date.now() + LINK_CACHE_MS });
  return value;
}

const CLICK_COLUMNS = [
  "id", "trackingLinkId", "campaignId", "offerId", "affiliateId", "networkId",
  "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10",
  "affClickId", "source", "ip", "userAgent", "referrer", "country", "createdAt",
] as const;

/**
 * `GET /c/{code}`: records the click and redirects to the offer's landing URL with its macros
 * filled, or to its fallback URL while a cap is reached or the click's sub id or IP is blocked. Only the click insert runs before the answer; it cannot wait, since the click id it
 * creates is what the merchant will post back.
 */
export async function handleClick(db: Database, request: Request, code: string): Promise<Response> {
  const link = await resolveLink(db, code);
  if (!link) return page(404, "Link not found", "This tracking link does not exist. Check the link you were given.");
  if (!link.offerActive) return page(410, "Offer paused", "This offer is paused and is not taking traffic right now.");
  if (!link.affiliateApproved) {
    return page(403, "Link not active", "The affiliate behind this link is not approved for this offer's network.");
  }
  if (request.method === "HEAD") return new Response(null, { status: 204 });

  const url = new URL(request.url);
  const tracking = parseTrackingParams(url.searchParams);
  const headers = request.headers;
  const createdAt = new Date();
  const click = {
    id: createId("click"),
    trackingLinkId: link.linkId,
    campaignId: link.campaignId,
    offerId: link.offerId,
    affiliateId: link.affiliateId,
    networkId: link.networkId,
    sub1: tracking.subs[0], sub2: tracking.subs[1], sub3: tracking.subs[2], sub4: tracking.subs[3], sub5: tracking.subs[4],
    sub6: tracking.subs[5], sub7: tracking.subs[6], sub8: tracking.subs[7], sub9: tracking.subs[8], sub10: tracking.subs[9],
    affClickId: tracking.affClickId,
    source: tracking.source,
    ip: clientIp(request)?.slice(0, 64) ?? null,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    referrer: headers.get("referer")?.slice(0, 1024) ?? null,
    country: (headers.get("x-vercel-ip-country") ?? headers.get("cf-ipcountry"))?.slice(0, 2).toUpperCase() ?? null,
    createdAt,
  };
  const insertClick = preparedStatement(db, "insert-click", (name) => db.insert(clicks).values(boundRow(clicks, CLICK_COLUMNS, "click")).prepare(name));
  await insertClick.execute(valuesOf("click", CLICK_COLUMNS, click));

  const toFallback = capReached(link, click.createdAt) || link.blocks.some((rule) => blockedValue(rule, click) !== null);
  const location = renderTemplate(toFallback ? link.capFallbackUrl! : link.landingUrl, landingMacroValues(click, link));
  return new Response(null, { status: 302, headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}

type ClickValues = Pick<
  Click,
  "id" | "sub1" | "sub2" | "sub3" | "sub4" | "sub5" | "sub6" | "sub7" | "sub8" | "sub9" | "sub10" | "affClickId" | "source" | "ip" | "userAgent" | "country" | "createdAt"
>;

/** What a click fills a landing URL with: its own values and its offer's parties (the timeline renders it again). */
export function landingMacroValues(
  click: ClickValues,
  link: Pick<LinkTarget, "offerId" | "offerName" | "affiliateId" | "networkId" | "merchantId"> & { campaignId: string | null },
): MacroValues {
  return {
    click_id: click.id,
    sub1: click.sub1, sub2: click.sub2, sub3: click.sub3, sub4: click.sub4, sub5: click.sub5,
    sub6: click.sub6, sub7: click.sub7, sub8: click.sub8, sub9: click.sub9, sub10: click.sub10,
    aff_click_id: click.affClickId,
    source: click.source,
    offer_id: link.offerId,
    offer_name: link.offerName,
    campaign_id: link.campaignId,
    affiliate_id: link.affiliateId,
    network_id: link.networkId,
    merchant_id: link.merchantId,
    ip: click.ip,
    user_agent: click.userAgent,
    country: click.country,
    click_time: click.createdAt.toISOString(),
  };
}

/** Whether a cap on the whole offer is full in its current period (as of the link's cached read). */
function capReached(link: LinkTarget, at: Date): boolean {
  if (!link.capFallbackUrl) return false;
  return link.capState.some((cap) => Number(cap.used?.[periodStart(cap.period, link.timeZone, at)] ?? 0) >= Number(cap.limit));
}

function page(status: number, title: string, message: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#f8fafc;color:#0f172a}main{max-width:28rem;padding:2rem;text-align:center}p{color:#475569}</style></head><body><main><h1>${title}</h1><p>${message}</p></main></body></html>`;
  // The app-wide policy (next.config.ts) leaves out the click path; this page needs only its inline style.
  const csp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-security-policy": csp } });
}
