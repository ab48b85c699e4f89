import { getFormatter, getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { Money } from "@/components/money";
import { OfferForm } from "@/components/offer-form";
import { StatusBadge } from "@/components/status-badge";
import { Card, PageHeader } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listMerchants } from "@/lib/incoming/endpoints";
import { getNetworkOffer, offerInputOf } from "@/lib/tracking/offers";
import { getOfferProgram, listApprovedAffiliates } from "@/lib/program/manage";
import { organizationTimeZone } from "@/lib/access/organizations";
import { ActionButton } from "@/components/action-button";
import { CapChangeForm, CapForm, GoalChangeForm, GoalForm, HoldForm, PayoutRuleChangeForm, PayoutRuleForm, RuleChangeForm, RuleForm } from "@/components/program-forms";
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
  const [t, tp, format] = await Promise.all([getTranslations("network"), getTranslations("program"), getFormatter()]);
  const percent = (share: number) => format.number(share, { style: "percent", maximumFractionDigits: 2 });
  const amount = (kind: string, value: string | null) =>
    value === null ? "—" : kind === "percent" ? tp("percentOfSale", { percent: percent(Number(value) / 100) }) : <Money value={value} currency={offer.currency} />;
  const hours = (h: number | null | undefined) => (h ? tp("hoursShort", { hours: format.number(h) }) : "—");
  const ruleSetting = (r: (typeof program.rules)[number]) =>
    r.kind === "countries"
      ? format.list(r.countries ?? [], { type: "conjunction", style: "narrow" })
      : r.kind === "blocked_subs"
        ? `${r.param}: ${format.list(r.blockedValues ?? [], { type: "disjunction", style: "narrow" })}`
      : r.kind === "blocked_ips"
        ? format.list(r.blockedValues ?? [], { type: "disjunction", style: "narrow" })
      : r.kind === "ip_limit"
        ? tp("rules.perWindow", { count: format.number(Number(r.threshold)), minutes: format.number(r.windowMinutes ?? 60) })
        : tp("rules.seconds", { seconds: format.number(Number(r.threshold)) });
  const affiliateName = (id: string | null) => (id ? affiliates.find((a) => a.id === id)?.name ?? id : tp("everyAffiliate"));
  const remove = (part: "goal" | "payoutRule" | "cap" | "rule", partId: string) => (
    <ActionButton action={removeProgramPartAction} input={{ offerId: offer.id, part, id: partId }} label={tp("remove")} variant="ghost" confirm={tp("removeConfirm")} />
  );
  const facts: [string, React.ReactNode][] = [
    [t("common.merchant"), merchantName],
    [t("common.status"), <StatusBadge key="s" status={offer.status} />],
    [t("offers.defaultPayout"), <Money key="p" value={offer.defaultPayout} currency={offer.currency} />],
    [t("offers.defaultRevenue"), <Money key="r" value={offer.defaultRevenue} currency={offer.currency} />],
    [t("offers.severalPerClick"), offer.allowMultipleConversions ? t("offers.allowed") : t("offers.onePerClick")],
    [t("offers.clickLifetime"), t("offers.hours", { hours: offer.clickLifetimeHours })],
  ];
  return (
    <>
      <PageHeader title={offer.name} description={offer.description ?? undefined} />
      <Card title={t("offers.card")}>
        <dl className="grid gap-4 sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
              <dd className="mt-1 text-sm">{value}</dd>
            </div>
          ))}
          <div className="sm:col-span-2">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("offers.landingUrl")}</dt>
            <dd className="mt-1 break-all font-mono text-xs">{offer.landingUrl}</dd>
          </div>
        </dl>
      </Card>
      <div className="mt-6 space-y-6" id="program">
        <Card title={tp("goals.title")}>
          <Table head={[tp("goals.key"), tp("fields.name"), tp("fields.payout"), tp("fields.revenue"), tp("goals.perClick"), tp("goals.hold"), ""]}>
            <tr data-goal="default">
              <Cell mono>default</Cell><Cell>{tp("goals.offerTerms")}</Cell><Cell>{amount(offer.payoutKind, offer.defaultPayout)}</Cell><Cell>{amount(offer.revenueKind, offer.defaultRevenue)}</Cell>
              <Cell>{offer.allowMultipleConversions ? tp("goals.many") : tp("goals.once")}</Cell><Cell>{hours(offer.holdHours)}</Cell><Cell>{null}</Cell>
            </tr>
            {program.goals.map((g) => (
              <tr key={g.id} data-goal={g.key}>
                <Cell mono>{g.key}</Cell><Cell>{g.name}</Cell><Cell>{amount(g.payoutKind, g.payout)}</Cell><Cell>{amount(g.revenueKind, g.revenue)}</Cell>
                <Cell>{g.multiple ? tp("goals.many") : tp("goals.once")}</Cell><Cell>{hours(g.holdHours ?? offer.holdHours)}</Cell><Cell>{remove("goal", g.id)}</Cell>
              </tr>
            ))}
          </Table>
          {program.goals.length > 0 ? <div className="mt-4"><GoalChangeForm offerId={offer.id} goals={program.goals} /></div> : null}
          <div className="mt-4"><GoalForm offerId={offer.id} /></div>
        </Card>
        <Card title={tp("payouts.title")}>
          {program.payoutRules.length === 0 ? <p className="text-sm text-slate-500">{tp("payouts.none")}</p> : (
            <Table head={[tp("fields.affiliate"), tp("fields.goal"), tp("fields.payout"), tp("fields.revenue"), tp("payouts.validFrom"), ""]}>
              {program.payoutRules.map(({ rule, affiliateName }) => (
                <tr key={rule.id} id={`payout-rule-${rule.id}`} data-payout-rule={rule.id}>
                  <Cell>{affiliateName}</Cell>{rule.goalKey ? <Cell mono>{rule.goalKey}</Cell> : <Cell>{tp("everyGoal")}</Cell>}<Cell>{amount(rule.payoutKind, rule.payout)}</Cell><Cell>{amount(rule.revenueKind, rule.revenue)}</Cell>
                  <Cell>{format.dateTime(rule.validFrom, { dateStyle: "medium", timeStyle: "short", timeZone })}</Cell><Cell>{remove("payoutRule", rule.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {program.payoutRules.length > 0 ? (
            <div className="mt-4">
              <PayoutRuleChangeForm
                offerId={offer.id}
                rules={program.payoutRules.map(({ rule, affiliateName }) => ({
                  id: rule.id,
                  label: [affiliateName, rule.goalKey ?? tp("everyGoal"), format.dateTime(rule.validFrom, { dateStyle: "medium", timeZone })].join(" · "),
                }))}
              />
            </div>
          ) : null}
          <div className="mt-4"><PayoutRuleForm offerId={offer.id} affiliates={affiliates} goals={goalKeys} /></div>
        </Card>
        <Card title={tp("caps.title", { timeZone })}>
          {program.caps.length === 0 ? <p className="text-sm text-slate-500">{tp("caps.none")}</p> : (
            <Table head={[tp("fields.goal"), tp("fields.affiliate"), tp("caps.period"), tp("caps.counts"), tp("caps.used"), tp("caps.overCap"), ""]}>
              {program.caps.map((cap) => (
                <tr key={cap.id} data-cap={cap.id} data-near-limit={cap.nearLimit ? "true" : undefined}>
                  {cap.goalKey ? <Cell mono>{cap.goalKey}</Cell> : <Cell>{tp("everyGoal")}</Cell>}<Cell>{affiliateName(cap.affiliateId)}</Cell>
                  <Cell>{tp("caps.periodName", { period: cap.period })}</Cell>
                  <Cell>{tp("caps.metric", { metric: cap.metric })}</Cell>
                  <Cell>
                    <span className={cap.nearLimit ? "font-semibold text-amber-700" : undefined}>
                      {tp.rich("caps.usedOf", {
                        used: () => (cap.metric === "count" ? format.number(cap.used) : <Money value={cap.used} currency={offer.currency} />),
                        limit: () => (cap.metric === "count" ? format.number(Number(cap.capLimit)) : <Money value={cap.capLimit} currency={offer.currency} />),
                        share: percent(Math.round(cap.share * 100) / 100),
                      })}
                    </span>
                    {cap.nearLimit ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{cap.reached ? tp("caps.reached") : tp("caps.nearLimit")}</span> : null}
                  </Cell>
                  <Cell>{tp("caps.action", { action: cap.action })}</Cell><Cell>{remove("cap", cap.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {program.caps.length > 0 ? (
            <div className="mt-4">
              <CapChangeForm
                offerId={offer.id}
                caps={program.caps.map((cap) => ({
                  id: cap.id,
                  label: [cap.goalKey ?? tp("everyGoal"), affiliateName(cap.affiliateId), tp("caps.periodName", { period: cap.period }), tp("caps.metric", { metric: cap.metric })].join(" · "),
                }))}
              />
            </div>
          ) : null}
          <div className="mt-4"><CapForm offerId={offer.id} affiliates={affiliates} goals={goalKeys} /></div>
        </Card>
        <Card title={tp("hold.title")}>
          <HoldForm offerId={offer.id} holdHours={offer.holdHours} capFallbackUrl={offer.capFallbackUrl} />
        </Card>
        <Card title={tp("rules.title")}>
          {program.rules.length === 0 ? <p className="text-sm text-slate-500">{tp("rules.none")}</p> : (
            <Table head={[tp("rules.check"), tp("rules.setting"), tp("fields.affiliate"), tp("rules.then"), ""]}>
              {program.rules.map((r) => (
                <tr key={r.id} data-rule={r.kind}>
                  <Cell>{tp("rules.kind", { kind: r.kind })}</Cell>
                  <Cell>{ruleSetting(r)}</Cell>
                  <Cell>{affiliateName(r.affiliateId)}</Cell>
                  <Cell>{tp("rules.action", { action: r.action })}</Cell><Cell>{remove("rule", r.id)}</Cell>
                </tr>
              ))}
            </Table>
          )}
          {program.rules.length > 0 ? (
            <div className="mt-4">
              <RuleChangeForm offerId={offer.id} rules={program.rules.map((r) => ({ id: r.id, label: [tp("rules.kind", { kind: r.kind }), ruleSetting(r), affiliateName(r.affiliateId), tp("rules.action", { action: r.action })].join(" · ") }))} />
            </div>
          ) : null}
          <div className="mt-4"><RuleForm offerId={offer.id} affiliates={affiliates} /></div>
        </Card>
      </div>
      <div className="mt-6">
        <Card title={t("offers.edit")}>
          <OfferForm
            merchants={merchants}
            initial={{ id: offer.id, ...offerInputOf(offer), description: offer.description ?? "" }}
          />
        </Card>
      </div>
    </>
  );
}
