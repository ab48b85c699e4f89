import type { AmountKind } from "@/db/schema";
import { amountFor, type GoalTerms } from "./goals";

export type PayoutRuleTerms = {
  id: string;
  goalKey: string | null;
  payoutKind: AmountKind;
  payout: string | null;
  revenueKind: AmountKind;
  revenue: string | null;
  validFrom: Date;
};

export type ConversionAmounts = { payout: string; revenue: string; payoutKind: AmountKind; revenueKind: AmountKind; payoutRuleId: string | null };

/**
 * The affiliate's amounts for a goal: the goal's own, unless a payout rule of the affiliate's
 * applies. Of the rules in force (valid from a time not after `at`), one for this goal wins over
 * one for the whole offer, and the latest start wins among those; its id is recorded.
 */
export function amountsFor(goal: GoalTerms, rules: readonly PayoutRuleTerms[], saleAmount: string | undefined, at: Date): ConversionAmounts {
  const winner = winningRule(rules, goal.key, at);
  return {
    payout: winner?.payout != null ? amountFor(winner.payoutKind, winner.payout, saleAmount) : amountFor(goal.payoutKind, goal.payout, saleAmount),
    revenue: winner?.revenue != null ? amountFor(winner.revenueKind, winner.revenue, saleAmount) : amountFor(goal.revenueKind, goal.revenue, saleAmount),
    payoutKind: winner?.payout != null ? winner.payoutKind : goal.payoutKind,
    revenueKind: winner?.revenue != null ? winner.revenueKind : goal.revenueKind,
    payoutRuleId: winner?.id ?? null,
  };
}

/** Of the rules in force at `at` for a goal, the one that sets its amounts: a goal's own over an offer-wide one, then the latest. */
export function winningRule<R extends Pick<PayoutRuleTerms, "goalKey" | "validFrom">>(rules: readonly R[], goalKey: string, at: Date): R | undefined {
  return rules
    .filter((r) => (r.goalKey === null || r.goalKey === goalKey) && r.validFrom.getTime() <= at.getTime())
    .sort((a, b) => Number(b.goalKey !== null) - Number(a.goalKey !== null) || b.validFrom.getTime() - a.validFrom.getTime())[0];
}
