import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listConversions } from "@/lib/conversions/conversion-queries";
import Link from "next/link";
import { can, HOME_PATHS } from "@/lib/access/permissions";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { StatusChanger } from "@/components/status-changer";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { BulkDecision } from "@/components/bulk-decision";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { CONVERSION_STATUSES } from "@/lib/conversions/statuses";
import { AppError } from "@/lib/platform/errors";

type Search = { status?: string; goal?: string; rule?: string; flagged?: string; q?: string; after?: string };

const PAGE = 100;

const RULES: Record<string, string> = {
  min_click_seconds: "Too soon after the click",
  max_click_seconds: "Too long after the click",
  ip_limit: "Conversions per IP",
  countries: "Country",
  cap_reached: "Cap reached",
};

export async function ConversionsScreen({ searchParams = {} }: { searchParams?: Search }) {
  const user = await requirePermission("conversions:read");
  const filters = {
    status: CONVERSION_STATUSES.includes(searchParams.status as never) ? searchParams.status : undefined,
    goal: searchParams.goal && /^[A-Za-z0-9_-]{1,40}$/.test(searchParams.goal) ? searchParams.goal : undefined,
    rule: searchParams.rule && searchParams.rule in RULES ? searchParams.rule : undefined,
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
  const filterForm = (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter conversions">
      <label className="text-sm">Status
        <select name="status" defaultValue={filters.status ?? ""} className={inputClass}>
          <option value="">Any</option>{CONVERSION_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className="text-sm">Goal
        <input name="goal" defaultValue={filters.goal ?? ""} placeholder="default, deposit…" className={inputClass} />
      </label>
      <label className="text-sm">Rule
        <select name="rule" defaultValue={filters.rule ?? ""} className={inputClass}>
          <option value="">Any</option>{Object.entries(RULES).map(([key, label]) => <option key={key} value={key}>{label}</option>)}
        </select>
      </label>
      <label className="text-sm">Id
        <input name="q" defaultValue={q ?? ""} maxLength={128} placeholder="click, transaction, delivery or conversion id" className={inputClass} />
      </label>
      <label className="flex items-center gap-2 text-sm"><input type="checkbox" name="flagged" value="1" defaultChecked={filters.flagged === "1"} /> Flagged only</label>
      <button type="submit" className={buttonClass("secondary")}>Filter</button>
    </form>
  );
  return (
    <>
      <PageHeader title="Conversions" description={editable ? "Change a status by hand: it follows the same rules and fires the same postbacks as the merchant's." : "Conversions of your offers, as the merchant's postbacks left them."} />
      <Card>
        {filterForm}
        {editable && !q ? <div className="mb-4"><BulkDecision filters={filters} /></div> : null}
        {badLink ? <p role="status" className="mb-4 text-sm text-amber-800">That page link was not valid: these are the newest conversions.</p> : null}
        {rows.length === 0 ? (
          q ? <EmptyState title="No conversion matches">No conversion of yours has this id as its click, transaction, delivery or conversion id.</EmptyState>
          : <EmptyState title="No conversions yet">They appear when a merchant's server posts a status for a click.</EmptyState>
        ) : (
          <Table head={["Time", "Offer", "Goal", "Affiliate", "Click id", "Transaction", "Status", ...(user.orgKind === "merchant" ? [] : ["Payout"]), ...(user.orgKind === "affiliate" ? [] : ["Revenue"]), "Why", ...(editable ? ["Change"] : [])]} pinLast={editable}>
            {rows.map((c) => (
              <tr key={c.id} data-conversion-id={c.id} data-click-id={c.clickId}>
                <Cell>
                  <LocalTime iso={c.createdAt.toISOString()} />
                  <Link href={`${HOME_PATHS[user.orgKind]}/conversions/${c.id}`} className="ml-2 text-xs font-medium text-brand-700 hover:underline" data-testid="timeline-link">Timeline</Link>
                </Cell>
                <Cell>{c.offerName}</Cell>
                <Cell mono>{c.goalKey}</Cell>
                <Cell>{c.affiliateName}</Cell>
                <Cell mono truncate={c.clickId}>{c.clickId}</Cell>
                <Cell mono truncate={c.transactionId ?? undefined}>{c.transactionId ?? "—"}</Cell>
                <Cell>
                  <StatusBadge status={c.status} /> {c.originalStatus ? <span className="text-xs text-slate-500">({c.originalStatus})</span> : null}
                  {c.status === "hold" && c.holdUntil ? <span className="block text-xs text-slate-500">approved at <LocalTime iso={c.holdUntil.toISOString()} /></span> : null}
                </Cell>
                {/* What the affiliate earns is the network's and the affiliate's business, not the merchant's. */}
                {user.orgKind === "merchant" ? null : <Cell>{Number(c.payout).toFixed(2)} {c.currency}{c.payoutRuleId ? <span className="block text-xs text-slate-500">by rule {c.payoutRuleId}</span> : null}</Cell>}
                {user.orgKind === "affiliate" ? null : <Cell>{Number(c.revenue).toFixed(2)} {c.currency}</Cell>}
                <Cell wrap>
                  {c.flagged ? <span className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">flagged</span> : null}
                  {c.decisions.map((d) => <span key={d.id + d.kind} className="block text-xs text-slate-600" data-decision={d.kind}>{d.action}: {d.reason}</span>)}
                </Cell>
                {editable ? <Cell pinned><StatusChanger id={c.id} status={c.status} /></Cell> : null}
              </tr>
            ))}
          </Table>
        )}
        {older || searchParams.after ? (
          <nav aria-label="Pages" className="mt-4 flex gap-3 text-sm">
            {searchParams.after ? <Link href={pageLink()} className={buttonClass("ghost")}>Newest</Link> : null}
            {older ? <Link href={pageLink(older)} className={buttonClass("secondary")} data-testid="older-conversions">Older</Link> : null}
          </nav>
        ) : null}
      </Card>
    </>
  );
}
