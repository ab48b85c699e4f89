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

export type ConversionAmounts = {
  payout: string;
  revenue: string;
  payoutKind: AmountKind;
  revenueKind: AmountKind;
  payoutRuleId: string | null;
  revenueRuleId: string | null;
};

/**
 * The affiliate's amounts for a goal: each the goal's own, unless a payout rule of the affiliate's
 * sets it. Each amount has its own winner (`winningRule`), so a goal's revenue-only rule leaves the
 * payout to an offer-wide payout rule; each winner's id is recorded.
 */
export function amountsFor(goal: GoalTerms, rules: readonly PayoutRuleTerms[], saleAmount: string | undefined, at: Date): ConversionAmounts {
  const payoutRule = winningRule(rules, goal.key, at, "payout");
  const revenueRule = winningRule(rules, goal.key, at, "revenue");
  return {
    payout: payoutRule ? amountFor(payoutRule.payoutKind, payoutRule.payout!, saleAmount) : amountFor(goal.payoutKind, goal.payout, saleAmount),
    revenue: revenueRule ? amountFor(revenueRule.revenueKind, revenueRule.revenue!, saleAmount) : amountFor(goal.revenueKind, goal.revenue, saleAmount),
    payoutKind: payoutRule ? payoutRule.payoutKind : goal.payoutKind,
    revenueKind: revenueRule ? revenueRule.revenueKind : goal.revenueKind,
    payoutRuleId: payoutRule?.id ?? null,
    revenueRuleId: revenueRule?.id ?? null,
  };
}

/**
 * Of the rules in force at `at` for a goal that set `amount`, the one that decides it: a goal's
 * own over an offer-wide one, then the latest start.
 */
export function winningRule<R extends Pick<PayoutRuleTerms, "goalKey" | "validFrom" | "payout" | "revenue">>(
  rules: readonly R[],
  goalKey: string,
  at: Date,
  amount: "payout" | "revenue",
): R | undefined {
  return rules
    .filter((r) => r[amount] != null && (r.goalKey === null || r.goalKey === goalKey) && r.validFrom.getTime() <= at.getTime())
    .sort((a, b) => Number(b.goalKey !== null) - Number(a.goalKey !== null) || b.validFrom.getTime() - a.validFrom.getTime())[0];
}
