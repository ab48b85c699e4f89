import type { AmountKind } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";

/** The offer's own terms are the goal with this key; every offer has it. */
export const DEFAULT_GOAL = "default";

export type GoalTerms = {
  key: string;
  name: string;
  payoutKind: AmountKind;
  payout: string;
  revenueKind: AmountKind;
  revenue: string;
  /** Many conversions per click, told apart by the transaction id. */
  multiple: boolean;
  holdHours: number | null;
};

export type OfferTerms = {
  payoutKind: AmountKind;
  defaultPayout: string;
  revenueKind: AmountKind;
  defaultRevenue: string;
  allowMultipleConversions: boolean;
  holdHours: number | null;
};

/** The goal a conversion is for: the named one, or the offer's default. An unknown name is the sender's mistake (422). */
export function resolveGoal(offer: OfferTerms, goals: readonly GoalTerms[], sent: string | undefined): GoalTerms {
  // Keys are stored in lower case; a merchant's system may write `Deposit`.
  const key = sent?.toLowerCase() ?? DEFAULT_GOAL;
  if (key === DEFAULT_GOAL) {
    return {
      key: DEFAULT_GOAL,
      name: "Default",
      payoutKind: offer.payoutKind,
      payout: offer.defaultPayout,
      revenueKind: offer.revenueKind,
      revenue: offer.defaultRevenue,
      multiple: offer.allowMultipleConversions,
      holdHours: offer.holdHours,
    };
  }
  const goal = goals.find((g) => g.key === key);
  if (!goal) {
    const known = [DEFAULT_GOAL, ...goals.map((g) => g.key)].join(", ");
    throw new AppError("invalid_input", "errors.program.unknownGoalListed", { field: "goal", detailCode: "unknown_goal", values: { key: sent ?? key, known } });
  }
  return { ...goal, holdHours: goal.holdHours ?? offer.holdHours };
}

/** A flat amount, or a percentage of the sale amount (none sent: nothing to take a share of, so 0). */
export function amountFor(kind: AmountKind, value: string, saleAmount: string | undefined): string {
  if (kind === "flat") return value;
  if (saleAmount === undefined) return "0";
  return ((Number(saleAmount) * Number(value)) / 100).toFixed(4);
}
