import Link from "next/link";

/** The payout rule that set an amount, on its offer's page (the network's only). */
export function PayoutRuleLink({ offerId, ruleId, label }: { offerId: string; ruleId: string | null; label: string }) {
  if (!ruleId) return null;
  return <Link href={`/network/offers/${offerId}#payout-rule-${ruleId}`} className="block text-xs text-brand-700 hover:underline" data-testid="payout-rule-link">{label}</Link>;
}
