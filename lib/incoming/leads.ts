import type { Database } from "@/db/client";
import { convertClick } from "@/lib/conversions/conversions";
import type { Committed } from "@/lib/outgoing/dispatcher";
import { AppError, toAppError } from "@/lib/platform/errors";
import { errorResponse, jsonResponse, readRequestParams, requestLocale } from "@/lib/platform/http";
import { assertClickIdWellFormed, freeFields, INCOMING_PARAMETERS, pickParameter } from "./incoming-params";
import { consumeRateLimit } from "@/lib/platform/rate-limit";
import { authenticateApiKey, bearerKey } from "@/lib/access/api-keys";
import { can } from "@/lib/access/permissions";

const LEADS_MAX_BODY_BYTES = 16 * 1024;
const LEADS_PER_MINUTE_PER_KEY = 600;
const LEAD_ID = /^[^\p{Cc}]{1,128}$/u;

/**
 * `POST /api/leads`: an affiliate reports a lead for one of its clicks, with its API key. It makes
 * a conversion in status `lead`, once per click and lead id (a repeat answers `duplicate`).
 */
export async function handleLeadSubmission(
  db: Database,
  request: Request,
  hooks: { afterCommit?: (committed: Committed) => void } = {},
): Promise<Response> {
  try {
    const read = await readRequestParams(request, LEADS_MAX_BODY_BYTES);
    const key = bearerKey(request) ?? read.params.api_key;
    if (!key) throw new AppError("unauthenticated", "errors.api.missingKey", { detailCode: "missing_api_key" });
    const owner = await authenticateApiKey(db, key);
    if (!owner) throw new AppError("unauthenticated", "errors.api.invalidKey", { detailCode: "invalid_api_key" });
    if (!can(owner, "campaigns:write")) throw new AppError("forbidden", "errors.incoming.leadReadOnlyKey", { detailCode: "read_only_key" });

    const limit = await consumeRateLimit(db, `leads:${owner.orgId}`, LEADS_PER_MINUTE_PER_KEY);
    if (!limit.allowed) throw new AppError("rate_limited", "errors.incoming.leadRateLimited", { values: { limit: limit.limit } });

    const clickId = pickParameter(read.params, "click_id");
    if (!clickId) throw new AppError("bad_request", "errors.incoming.leadMissingClickId", { field: "click_id", detailCode: "missing_parameter" });
    assertClickIdWellFormed(clickId);
    const leadId = read.params.lead_id || undefined;
    if (leadId !== undefined && !LEAD_ID.test(leadId)) {
      throw new AppError("invalid_input", "errors.incoming.leadIdInvalid", { field: "lead_id", detailCode: "invalid_parameter" });
    }

    const goalKey = pickParameter(read.params, "goal");
    const outcome = await recordLead(db, { affiliateId: owner.orgId, clickId, leadId, goalKey, params: read.params });
    hooks.afterCommit?.(outcome);
    // A lead never moves a conversion: an existing one, whatever its status, is a duplicate.
    const result = outcome.result === "accepted" ? "accepted" : "duplicate";
    return jsonResponse(200, { ok: true, result, conversion_id: outcome.conversion?.id ?? null, status: outcome.conversion?.status ?? null });
  } catch (caught) {
    return errorResponse(toAppError(caught), requestLocale(request));
  }
}

/** The lead as a conversion in status `lead` on the affiliate's own click. */
async function recordLead(
  db: Database,
  lead: { affiliateId: string; clickId: string; leadId: string | undefined; goalKey: string | undefined; params: Record<string, string> },
) {
  const { affiliateId, clickId, leadId, goalKey, params } = lead;
  const outcome = await convertClick(db, {
    request: {
      clickId,
      owner: { affiliateId },
      ids: { leadId: leadId ?? "-" },
      leadId,
      goalKey,
      status: "lead",
      details: freeFields(params, [...INCOMING_PARAMETERS.click_id.aliases, ...INCOMING_PARAMETERS.goal.aliases, "lead_id"]),
    },
    context: { source: "lead_api" },
  });
  if (!outcome) throw new AppError("not_found", "errors.incoming.leadUnknownClick", { field: "click_id", detailCode: "unknown_click" });
  return outcome;
}
