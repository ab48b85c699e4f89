import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { requirePermission } from "@/lib/access/auth";
import { conversionTimeline } from "@/lib/conversions/timeline";
import { getDb } from "@/lib/platform/database";
import { AppError } from "@/lib/platform/errors";
import { requestOrigin } from "@/lib/platform/request-url";
import { CopyButton } from "@/components/copy-button";
import { Money } from "@/components/money";
import { PayoutRuleLink } from "@/components/payout-rule-link";
import { StatusBadge } from "@/components/status-badge";
import { TimelineView } from "@/components/timeline-view";
import { Card, PageHeader } from "@/components/ui/page";

/** One conversion's timeline, for whichever party reads it; another organization's id is a 404. */
export async function TimelineScreen({ id }: { id: string }) {
  const user = await requirePermission("conversions:read");
  const timeline = await conversionTimeline(getDb(), user, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const { conversion: c } = timeline;
  // The party-neutral address: each party that may read the conversion lands on its own page for it.
  const permalink = `${await requestOrigin()}/conversions/${encodeURIComponent(c.id)}`;
  const [t, tc] = await Promise.all([getTranslations("timeline"), getTranslations("conversions")]);
  const amount = (label: string, value: string | null, ruleId: string | null = null): [string, React.ReactNode][] =>
    value === null ? [] : [[label, <span key={label}><Money value={value} currency={c.currency} /><PayoutRuleLink offerId={c.offerId} ruleId={ruleId} label={tc("byRule")} /></span>]];
  const facts: [string, React.ReactNode][] = [
    [t("offer"), c.goalKey === "default" ? c.offerName : t("offerGoal", { offer: c.offerName, goal: c.goalKey })],
    [t("network"), c.networkName],
    [t("merchant"), c.merchantName],
    [t("affiliate"), c.affiliateName],
    [t("clickId"), <code key="click">{c.clickId}</code>],
    [t("transaction"), c.transactionId ?? "—"],
    ...amount(t("payout"), c.payout, c.payoutRuleId),
    ...amount(t("revenue"), c.revenue, c.revenueRuleId),
    ...amount(t("saleAmount"), c.saleAmount),
    ...(c.sentAs ? ([[t("sentAs"), <SentAmounts key="sent" sent={c.sentAs} />]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <>
      <PageHeader title={t("title", { id: c.id })} description={t("description")} />
      <Card>
        <div className="mb-5 flex flex-wrap items-center gap-3">
          <StatusBadge status={c.status} />
          {c.originalStatus ? <span className="text-xs text-slate-500">({c.originalStatus})</span> : null}
          {c.flagged ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{t("flagged")}</span> : null}
          <span className="text-xs text-slate-500">{t("permalink")}</span>
          <code data-testid="permalink" className="break-all text-xs">{permalink}</code>
          <CopyButton value={permalink} label={t("copyLink")} />
        </div>
        <dl className="mb-6 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-slate-500">{label}</dt>
              <dd className="break-all">{value}</dd>
            </div>
          ))}
        </dl>
        <TimelineView timeline={timeline} />
      </Card>
    </>
  );
}

/** The merchant's amounts in the currency it sent them in, before the network's exchange rate. */
async function SentAmounts({ sent }: { sent: NonNullable<Awaited<ReturnType<typeof conversionTimeline>>["conversion"]["sentAs"]> }) {
  const t = await getTranslations("timeline");
  const parts = (["payout", "revenue", "saleAmount"] as const).filter((k) => sent[k] !== null);
  return (
    <span data-testid="sent-as">
      {parts.map((k, i) => (
        <span key={k}>{i > 0 ? " · " : null}{t(k)} <Money value={sent[k]} currency={sent.currency} /></span>
      ))}
    </span>
  );
}
