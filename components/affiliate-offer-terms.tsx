import { useFormatter, useTranslations } from "next-intl";
import type { AffiliateBlock, AffiliateCap, AffiliatePayout } from "@/lib/program/manage";
import { Money } from "./money";

/** The affiliate's own payout on each goal of an offer: a flat amount or a share of the sale, its own rate marked. */
export function PayoutPerGoal({ payouts, currency }: { payouts: AffiliatePayout[]; currency: string }) {
  const t = useTranslations("affiliateOffers");
  const format = useFormatter();
  return (
    <ul className="space-y-0.5">
      {payouts.map((g) => (
        <li key={g.key} data-goal={g.key}>
          <span className="font-mono text-xs text-slate-500">{g.key}</span>{" "}
          {g.kind === "percent" ? t("percentOfSale", { percent: format.number(Number(g.payout) / 100, { style: "percent", maximumFractionDigits: 2 }) }) : <Money value={g.payout} currency={currency} />}
          {g.byRule ? <span className="ml-1 text-xs text-emerald-700">{t("yourRate")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The caps an affiliate's conversions count against (lib/program/manage.ts `affiliateCaps`), a full one marked; nothing without any. */
export function AffiliateCapList({ caps, currency }: { caps: AffiliateCap[]; currency: string }) {
  const t = useTranslations("affiliateOffers");
  const format = useFormatter();
  if (caps.length === 0) return null;
  const amount = (cap: AffiliateCap, value: string | number) => (cap.metric === "count" ? format.number(Number(value)) : <Money value={value} currency={currency} />);
  return (
    <ul className="space-y-0.5">
      {caps.map((cap) => (
        <li key={cap.id} data-cap={cap.id} data-reached={cap.reached}>
          <span className="font-mono text-xs text-slate-500">{cap.goalKey ?? "*"}</span>{" "}
          {t.rich("capLimit", { metric: cap.metric, period: cap.period, count: Number(cap.capLimit), limit: () => amount(cap, cap.capLimit) })}
          <span className="ml-1 text-xs text-slate-500">
            {cap.used !== null ? t.rich("capYours", { used: () => amount(cap, cap.used!) }) : t("capShared")}
          </span>
          {cap.reached ? <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-800">{t("capReached")}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The sub ids and sources the network blocks for the affiliate on an offer (`affiliateBlocks`), so it stops sending them. */
export function AffiliateBlockList({ blocks }: { blocks: AffiliateBlock[] }) {
  const t = useTranslations("affiliateOffers");
  const format = useFormatter();
  if (blocks.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5">
      {blocks.map((block) => (
        <li key={block.id} data-blocked={block.param} className="text-xs text-red-800">
          {t("blocked", { param: block.param, values: format.list(block.blockedValues, { type: "conjunction", style: "narrow" }), action: block.action })}
          <span className="ml-1 text-slate-500">{block.yours ? t("blockedYours") : t("blockedAll")}</span>
        </li>
      ))}
    </ul>
  );
}
