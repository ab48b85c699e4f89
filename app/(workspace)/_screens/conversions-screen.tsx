import { getTranslations } from "next-intl/server";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listConversions } from "@/lib/conversions/conversion-queries";
import Link from "next/link";
import { can, HOME_PATHS } from "@/lib/access/permissions";
import { LocalTime } from "@/components/local-time";
import { DecisionReason } from "@/components/decision-reason";
import { Money } from "@/components/money";
import { PayoutRuleLink } from "@/components/payout-rule-link";
import { StatusBadge } from "@/components/status-badge";
import { StatusChanger } from "@/components/status-changer";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { BulkDecision } from "@/components/bulk-decision";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { CONVERSION_STATUSES } from "@/lib/conversions/statuses";
import { AppError } from "@/lib/platform/errors";
import { DECISION_KINDS } from "@/lib/program/terms";

type Search = { status?: string; goal?: string; rule?: string; flagged?: string; q?: string; after?: string };

const PAGE = 100;

// The rules and caps a conversion can be filtered by; their labels are in the catalogue under the same names.
// Named here, where they are labelled (the catalogue check reads keys beside their namespace).
const RULES = ["min_click_seconds", "max_click_seconds", "ip_limit", "countries", "blocked_subs", "blocked_ips", "cap_reached"] as const satisfies readonly (typeof DECISION_KINDS)[number][];
// Every kind is offered: a new one fails the type check here.
const _everyKind: readonly (typeof RULES)[number][] = DECISION_KINDS;

export async function ConversionsScreen({ searchParams = {} }: { searchParams?: Search }) {
  const user = await requirePermission("conversions:read");
  const filters = {
    status: CONVERSION_STATUSES.includes(searchParams.status as never) ? searchParams.status : undefined,
    goal: searchParams.goal && /^[A-Za-z0-9_-]{1,40}$/.test(searchParams.goal) ? searchParams.goal : undefined,
    rule: searchParams.rule && RULES.includes(searchParams.rule as never) ? searchParams.rule : undefined,
    flagged: searchParams.flagged === "1" ? "1" : undefined,
  };
  const q = searchParams.q?.trim().slice(0, 128) || undefined;
  const read = (after?: string) => listConversions(getDb(), user, { limit: PAGE, after, q, ...filters, flagged: filters.flagged === "1" });
  // A page link that is not one (edited by hand, or from before a change) starts again from the newest.
  let badLink = false;
  const { rows, older } = await read(searchParams.after).catch((error: unknown) => {
    if (!(error instanceof AppError) || error.field !== "after") throw error;
    badLink = true;
    return read();
  });
  const kept = Object.entries({ ...filters, q }).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const base = `${HOME_PATHS[user.orgKind]}/conversions`;
  const pageLink = (after?: string) => `${base}?${new URLSearchParams([...kept, ...(after ? [["after", after]] : [])]).toString()}`;
  const editable = user.orgKind === "network" && can(user, "conversions:write");
  const [t, ruleLabel, statusLabel] = await Promise.all([getTranslations("conversions"), getTranslations("conversions.rules"), getTranslations("statuses")]);
  const filterForm = (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label={t("filterForm")}>
      <label className="text-sm">{t("status")}
        <select name="status" defaultValue={filters.status ?? ""} className={inputClass}>
          <option value="">{t("any")}</option>{CONVERSION_STATUSES.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
        </select>
      </label>
      <label className="text-sm">{t("goal")}
        <input name="goal" defaultValue={filters.goal ?? ""} placeholder={t("goalPlaceholder")} className={inputClass} />
      </label>
      <label className="text-sm">{t("rule")}
        <select name="rule" defaultValue={filters.rule ?? ""} className={inputClass}>
          <option value="">{t("any")}</option>{RULES.map((key) => <option key={key} value={key}>{ruleLabel(key)}</option>)}
        </select>
      </label>
      <label className="text-sm">{t("id")}
        <input name="q" defaultValue={q ?? ""} maxLength={128} placeholder={t("idPlaceholder")} className={inputClass} />
      </label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="flagged" value="1" defaultChecked={filters.flagged === "1"} /> {t("flaggedOnly")}</label>
      <button type="submit" className={buttonClass("secondary")}>{t("filter")}</button>
    </form>
  );
  return (
    <>
      <PageHeader title={t("title")} description={editable ? t("descriptionEditable") : t("description")} />
      <Card>
        {filterForm}
        {editable && !q ? <div className="mb-4"><BulkDecision filters={filters} /></div> : null}
        {badLink ? <p role="status" className="mb-4 text-sm text-amber-800">{t("badLink")}</p> : null}
        {rows.length === 0 ? (
          q ? <EmptyState title={t("noMatch")}>{t("noMatchHint")}</EmptyState>
          : <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("time"), t("offer"), t("goal"), t("affiliate"), t("clickId"), t("transaction"), t("status"), ...(user.orgKind === "merchant" ? [] : [t("payout")]), ...(user.orgKind === "affiliate" ? [] : [t("revenue")]), t("why"), ...(editable ? [t("change")] : [])]} pinLast={editable}>
            {rows.map((c) => (
              <tr key={c.id} data-conversion-id={c.id} data-click-id={c.clickId}>
                <Cell>
                  <LocalTime iso={c.createdAt.toISOString()} />
                  <Link href={`${HOME_PATHS[user.orgKind]}/conversions/${c.id}`} className="ml-2 text-xs font-medium text-brand-700 hover:underline" data-testid="timeline-link">{t("timeline")}</Link>
                </Cell>
                <Cell>{c.offerName}</Cell>
                <Cell mono>{c.goalKey}</Cell>
                <Cell>{c.affiliateName}</Cell>
                <Cell mono truncate={c.clickId}>{c.clickId}</Cell>
                <Cell mono truncate={c.transactionId ?? undefined}>{c.transactionId ?? "—"}</Cell>
                <Cell>
                  <StatusBadge status={c.status} /> {c.originalStatus ? <span className="text-xs text-slate-500">({c.originalStatus})</span> : null}
                  {c.status === "hold" && c.holdUntil ? <span className="block text-xs text-slate-500">{t.rich("approvedAt", { time: () => <LocalTime iso={c.holdUntil!.toISOString()} /> })}</span> : null}
                </Cell>
                {/* What the affiliate earns is the network's and the affiliate's business, not the merchant's. */}
                {user.orgKind === "merchant" ? null : <Cell><Money value={c.payout} currency={c.currency} />{user.orgKind === "network" ? <PayoutRuleLink offerId={c.offerId} ruleId={c.payoutRuleId} label={t("byRule")} /> : null}</Cell>}
                {user.orgKind === "affiliate" ? null : <Cell><Money value={c.revenue} currency={c.currency} />{user.orgKind === "network" ? <PayoutRuleLink offerId={c.offerId} ruleId={c.revenueRuleId} label={t("byRule")} /> : null}</Cell>}
                <Cell wrap>
                  {c.flagged ? <span className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">{t("flagged")}</span> : null}
                  {c.decisions.map((d) => <span key={d.id + d.kind} className="block text-xs text-slate-600" data-decision={d.kind}>{t.rich("decision", { action: d.action, reason: () => <DecisionReason decision={d} currency={c.currency} /> })}</span>)}
                </Cell>
                {editable ? <Cell pinned><StatusChanger id={c.id} status={c.status} /></Cell> : null}
              </tr>
            ))}
          </Table>
        )}
        {older || searchParams.after ? (
          <nav aria-label={t("pages")} className="mt-4 flex gap-3 text-sm">
            {searchParams.after ? <Link href={pageLink()} className={buttonClass("ghost")}>{t("newest")}</Link> : null}
            {older ? <Link href={pageLink(older)} className={buttonClass("secondary")} data-testid="older-conversions">{t("older")}</Link> : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
