import { notFound } from "next/navigation";
import { OfferForm } from "@/components/offer-form";
import { StatusBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listMerchants } from "@/lib/incoming/endpoints";
import { getNetworkOffer } from "@/lib/tracking/offers";
import { getOfferProgram, listApprovedAffiliates, organizationTimeZone } from "@/lib/program/manage";
import { ActionButton } from "@/components/action-button";
import { CapForm, GoalForm, HoldForm, PayoutRuleForm, RuleForm } from "@/components/program-forms";
import { Cell, Table } from "@/components/ui/page";
import { removeProgramPartAction } from "./program-actions";

export default async function NetworkOfferPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("offers:read");
  const { id } = await params;
  const db = getDb();
  const [row, merchants] = await Promise.all([getNetworkOffer(db, user.orgId, id), listMerchants(db)]);
  if (!row) notFound();
  const { offer, merchantName } = row;
  const timeZone = await organizationTimeZone(db, user.orgId);
  const [program, affiliates] = await Promise.all([getOfferProgram(db, user.orgId, id, timeZone), listApprovedAffiliates(db, user.orgId)]);
  const goalKeys = program.goals.map((g) => g.key);
  const amount = (kind: string, value: string | null) => (value === null ? "—" : kind === "percent" ? `${Number(value)}% of sale` : `${Number(value).toFixed(2)} ${offer.currency}`);
  const remove = (part: "goal" | "payoutRule" | "cap" | "rule", partId: string) => (
    <ActionButton action={removeProgramPartAction} input={{ offerId: offer.id, part, id: partId }} label="Remove" variant="ghost" confirm="Remove it? New conversions stop following it at once." />
  );
  const facts: [string, React.ReactNode][] = [
    ["Merchant", merchantName],
    ["Status", <StatusBadge key="s" status={offer.status} />],
    ["Default payout", `${Number(offer.defaultPayout).toFixed(2)} ${offer.currency}`],
    ["Default revenue", `${Number(offer.defaultRevenue).toFixed(2)} ${offer.currency}`],
    ["Several conversions per click", offer.allowMultipleConversions ? "Allowed" : "One per click"],
    ["Click lifetime", `${offer.clickLifetimeHours} hours`],
  ];
  return (
    <>
      <PageHeader title={offer.name} description={offer.description ?? undefined} />
      <Card title="Offer">
        <dl className="grid gap-4 sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 text-sm">{value}</dd>
            </div>
          ))}
          <div className="sm:col-span-2">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Landing URL</dt>
            <dd className="mt-1 break-all font-mono text-xs">{offer.landingUrl}</dd>
          </div>
        </dl>
      </Card>
      <div className="mt-6 space-y-6" id="program">
        <Card title="Goals">
          <Table head={["Key", "Name", "Payout", "Revenue", "Per click", "Hold", ""]}>
            <tr data-goal="default">
              <Cell mono>default</Cell><Cell>The offer's own terms</Cell><Cell>{amount(offer.payoutKind, offer.defaultPayout)}</Cell><Cell>{amount(offer.revenueKind, offer.defaultRevenue)}</Cell>
              <Cell>{offer.allowMultipleConversions ? "Many (by txid)" : "Once"}</Cell><Cell>{offer.holdHours ? `${offer.holdHours} h` : "—"}</Cell><Cell>{null}</Cell>
            </tr>
            {program.goals.map((g) => (
              <tr key={g.id} data-goal={g.key}>
                <Cell mono>{g.key}</Cell><Cell>{g.name}</Cell><Cell>{amount(g.payoutKind, g.payout)}</Cell><Cell>{amount(g.revenueKind, g.revenue)}</Cell>
                <Cell>{g.multiple ? "Many (by txid)" : "Once"}</Cell><Cell>{(g.holdHours ?? offer.holdHours) ? `${g.holdHours ?? offer.holdHours} h` : "—"}</Cell><Cell>{remove("goal", g.id)}</Cell>
              </tr>
            ))}
          </Table>
          <div className="mt-4"><GoalForm offerId={offer.id} /></div>
        </Card>
        <Card title="Payouts per affiliate">
          {program.payoutRules.length === 0 ? <p className="text-sm text-slate-500">Every affiliate earns the goal's payout.</p> : (
            <Table head={["Affiliate", "Goal", "Payout", "Revenue", "Valid from", ""]}>
              {program.payoutRules.map(({ rule, affiliateName }) => (
                <tr key={rule.id} data-payout-rule={rule.id}>
                  <Cell>{affiliateName}</Cell><Cell mono>{rule.goalKey ?? "every goal"}</Cell><Cell>{amount(rule.payoutKind, rule.payout)}</Cell><Cell>{amount(rule.revenueKind, rule.revenue)}</Cell>
                  <Cell>{rule.validFrom.toISOString().slice(0, 10)}</Cell><Cell>{remove("payoutRule", rule.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          <div className="mt-4"><PayoutRuleForm offerId={offer.id} affiliates={affiliates} goals={goalKeys} /></div>
        </Card>
        <Card title={`Caps (days in ${timeZone})`}>
          {program.caps.length === 0 ? <p className="text-sm text-slate-500">No cap: every conversion is accepted.</p> : (
            <Table head={["Goal", "Affiliate", "Period", "Used", "Over the cap", ""]}>
              {program.caps.map((cap) => (
                <tr key={cap.id} data-cap={cap.id} data-near-limit={cap.nearLimit ? "true" : undefined}>
                  <Cell mono>{cap.goalKey ?? "every goal"}</Cell><Cell>{affiliates.find((a) => a.id === cap.affiliateId)?.name ?? (cap.affiliateId ? cap.affiliateId : "every affiliate")}</Cell>
                  <Cell>{cap.period}</Cell>
                  <Cell>
                    <span className={cap.nearLimit ? "font-semibold text-amber-700" : undefined}>
                      {cap.metric === "count" ? `${cap.used} of ${Number(cap.capLimit)}` : `${cap.used.toFixed(2)} of ${Number(cap.capLimit).toFixed(2)} ${offer.currency}`} ({Math.round(cap.share * 100)}%)
                    </span>
                    {cap.nearLimit ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{cap.share >= 1 ? "reached" : "80%+"}</span> : null}
                  </Cell>
                  <Cell>{cap.action.replace("_", " ")}</Cell><Cell>{remove("cap", cap.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          <div className="mt-4"><CapForm offerId={offer.id} affiliates={affiliates} goals={goalKeys} /></div>
        </Card>
        <Card title="Hold and fallback">
          <HoldForm offerId={offer.id} holdHours={offer.holdHours} capFallbackUrl={offer.capFallbackUrl} />
        </Card>
        <Card title="Conversion rules">
          {program.rules.length === 0 ? <p className="text-sm text-slate-500">No rule: conversions are taken as the merchant sends them.</p> : (
            <Table head={["Check", "Setting", "Then", ""]}>
              {program.rules.map((r) => (
                <tr key={r.id} data-rule={r.kind}>
                  <Cell>{r.kind.replaceAll("_", " ")}</Cell>
                  <Cell>{r.kind === "countries" ? r.countries?.join(", ") : r.kind === "ip_limit" ? `${r.threshold} per ${r.windowMinutes ?? 60} min` : `${r.threshold} s`}</Cell>
                  <Cell>{r.action}</Cell><Cell>{remove("rule", r.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          <div className="mt-4"><RuleForm offerId={offer.id} /></div>
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Edit">
          <OfferForm
            merchants={merchants}
            initial={{
              id: offer.id,
              name: offer.name,
              merchantId: offer.merchantId,
              description: offer.description ?? "",
              landingUrl: offer.landingUrl,
              defaultPayout: offer.defaultPayout,
              defaultRevenue: offer.defaultRevenue,
              currency: offer.currency,
              allowMultipleConversions: offer.allowMultipleConversions,
              clickLifetimeHours: offer.clickLifetimeHours,
              status: offer.status,
            }}
          />
        </Card>
      </div>
    </>
  );
}
