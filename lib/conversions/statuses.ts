import { z } from "zod";
import type { ConversionStatus } from "@/db/schema";
import { DECISION_KINDS } from "@/lib/program/terms";

export type { ConversionStatus };

export const CONVERSION_STATUSES: readonly ConversionStatus[] = ["lead", "approved", "rejected", "hold"];

/**
 * The transition rules (DESIGN.md): lead → approved | rejected | hold; hold → approved | rejected;
 * approved → rejected only as a reversal (a chargeback). Rejected is final. Nothing moves backwards.
 */
export const ALLOWED_TRANSITIONS: Record<ConversionStatus, readonly ConversionStatus[]> = {
  lead: ["approved", "rejected", "hold"],
  hold: ["approved", "rejected"],
  approved: ["rejected"],
  rejected: [],
};

export type TransitionDecision =
  | { kind: "same" }
  | { kind: "change"; eventKind: "status_changed" | "reversal" }
  | { kind: "refused"; reason: string };

export function decideTransition(from: ConversionStatus, to: ConversionStatus): TransitionDecision {
  if (from === to) return { kind: "same" };
  if (ALLOWED_TRANSITIONS[from].includes(to)) {
    return { kind: "change", eventKind: from === "approved" && to === "rejected" ? "reversal" : "status_changed" };
  }
  const reason =
    from === "rejected"
      ? `The conversion is already rejected; a rejected conversion does not change.`
      : `Late or backward postback: the conversion is already ${from} and does not go back to ${to}.`;
  return { kind: "refused", reason };
}

export type StatusMapTarget = ConversionStatus | "ignore";

/**
 * Words merchants commonly send, for endpoints whose own map does not name them. An endpoint's
 * map always wins. Matching is case-insensitive.
 */
export const DEFAULT_STATUS_WORDS: Record<string, StatusMapTarget> = {
  lead: "lead",
  pending: "lead",
  new: "lead",
  "0": "lead",
  approved: "approved",
  approve: "approved",
  sale: "approved",
  confirmed: "approved",
  paid: "approved",
  success: "approved",
  "1": "approved",
  rejected: "rejected",
  reject: "rejected",
  declined: "rejected",
  cancelled: "rejected",
  canceled: "rejected",
  chargeback: "rejected",
  refund: "rejected",
  refunded: "rejected",
  fraud: "rejected",
  trash: "rejected",
  "2": "rejected",
  hold: "hold",
  on_hold: "hold",
  "5": "hold",
  test: "ignore",
  ping: "ignore",
};

/** The canonical status for a merchant's word, or undefined when neither map knows it. */
export function mapStatusWord(word: string, endpointMap: Record<string, StatusMapTarget>): StatusMapTarget | undefined {
  const key = word.trim().toLowerCase();
  const own = Object.entries(endpointMap).find(([k]) => k.toLowerCase() === key);
  if (own) return own[1];
  return Object.hasOwn(DEFAULT_STATUS_WORDS, key) ? DEFAULT_STATUS_WORDS[key] : undefined;
}

/** A network's change of one conversion's status, from its page or the API. */
export const statusChangeSchema = z.object({ status: z.enum(["lead", "approved", "rejected", "hold"]) });

/** A network's decision on every conversion a filter matches (the conversions page's bulk decision). */
export const bulkDecisionSchema = z.object({
  to: z.enum(["approved", "rejected"]),
  status: z.enum(["lead", "hold", ""]).optional().transform((v) => v || undefined),
  goal: z.string().max(40).optional().transform((v) => v || undefined),
  rule: z.enum([...DECISION_KINDS, ""]).optional().transform((v) => v || undefined),
  flagged: z.union([z.boolean(), z.enum(["1", ""])]).optional().transform((v) => v === true || v === "1"),
  /** The preview's time: the decision moves only conversions made by then. */
  asOf: z.iso.datetime().optional().transform((v) => (v ? new Date(v) : undefined)),
});
