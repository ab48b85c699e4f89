import Link from "next/link";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { AppError } from "@/lib/platform/errors";
import { HOME_PATHS } from "@/lib/access/permissions";
import { organizationTimeZone } from "@/lib/program/manage";
import { daysIn, dailyStats, goalBreakdown, MAX_STATS_DAYS, networkBreakdown, parseStatsRange, type StatsRange } from "@/lib/reports/stats";
import { BarChart } from "@/components/bar-chart";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { buttonClass, inputClass, labelClass } from "@/components/ui/styles";

const money = (v: number) => v.toFixed(2);
const DAY_MS = 86_400_000;

/** Stats for the days in the URL (`from`, `to`); a range it cannot show is said next to the inputs. */
export async function StatsScreen({ searchParams }: { searchParams: Record<string, string | string[] | undefined> }) {
  const user = await requirePermission("stats:read");
  const db = getDb();
  const asked = { from: first(searchParams.from), to: first(searchParams.to) };
  // Days are the organization's: a network in Moscow counts its days from Moscow's midnight.
  const timeZone = await organizationTimeZone(db, user.orgId);
  let range: StatsRange;
  let problem: AppError | null = null;
  try {
    range = parseStatsRange({ ...asked, timeZone });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error;
    range = parseStatsRange({ timeZone });
  }
  const [days, byGoal, byOffer, byAffiliate] = await Promise.all([
    dailyStats(db, user, range),
    goalBreakdown(db, user, range),
    user.orgKind === "network" ? networkBreakdown(db, user.orgId, "offer", range) : [],
    user.orgKind === "network" ? networkBreakdown(db, user.orgId, "affiliate", range) : [],
  ]);
  const totals = days.reduce((t, d) => ({ clicks: t.clicks + d.clicks, leads: t.leads + d.leads, approved: t.approved + d.approved, rejected: t.rejected + d.rejected, payout: t.payout + d.payout }), { clicks: 0, leads: 0, approved: 0, rejected: 0, payout: 0 });
  const label = (day: string) => (days.length > 62 ? day : day.slice(5));
  const base = `${HOME_PATHS[user.orgKind]}/stats`;
  return (
    <>
      <PageHeader title="Stats" description={`${range.from} to ${range.to} (${daysIn(range)} days), by day in ${timeZone}. Conversions count on the day they were made, in their status now.`} />
      <RangePicker base={base} range={range} today={parseStatsRange({ timeZone }).to} asked={asked} problem={problem} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label="Clicks" value={totals.clicks} />
        <Stat label="Conversions" value={totals.leads} />
        <Stat label="Approved" value={totals.approved} />
        <Stat label="Rejected" value={totals.rejected} />
        <Stat label="Payout (approved)" value={money(totals.payout)} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card><BarChart title="Clicks per day" data={days.map((d) => ({ label: label(d.day), value: d.clicks }))} /></Card>
        <Card><BarChart title="Approved conversions per day" data={days.map((d) => ({ label: label(d.day), value: d.approved }))} /></Card>
        <Card><BarChart title="Payout per day" data={days.map((d) => ({ label: label(d.day), value: d.payout }))} format="money" /></Card>
        <Card title="Per day">
          {days.some((d) => d.clicks || d.leads) ? (
            <Table head={["Day", "Clicks", "Conversions", "Approved", "Rejected", "Payout"]}>
              {days.filter((d) => d.clicks || d.leads).reverse().map((d) => (
                <tr key={d.day}><Cell>{d.day}</Cell><Cell>{d.clicks}</Cell><Cell>{d.leads}</Cell><Cell>{d.approved}</Cell><Cell>{d.rejected}</Cell><Cell>{money(d.payout)}</Cell></tr>
              ))}
            </Table>
          ) : <EmptyState title="No traffic in this period" />}
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Per goal">
          {byGoal.length === 0 ? <EmptyState title="No conversions in this period" /> : (
            <Table head={["Goal", "Conversions", "Approved", "Payout", ...(user.orgKind === "affiliate" ? [] : ["Revenue"])]}>
              {byGoal.map((g) => (
                <tr key={g.goal} data-goal={g.goal}><Cell mono>{g.goal}</Cell><Cell>{g.conversions}</Cell><Cell>{g.approved}</Cell><Cell>{money(g.payout)}</Cell>{g.revenue === null ? null : <Cell>{money(g.revenue)}</Cell>}</tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
      {user.orgKind === "network" ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          {([["Per offer", byOffer], ["Per affiliate", byAffiliate]] as const).map(([title, rows]) => (
            <Card key={title} title={title}>
              {rows.length === 0 ? <EmptyState title="No traffic in this period" /> : (
                <>
                  <BarChart title="Revenue" data={rows.slice(0, 10).map((r) => ({ label: r.name, value: r.revenue }))} format="money" />
                  <Table head={["Name", "Clicks", "Conversions", "Approved", "Payout", "Revenue"]}>
                    {rows.map((r) => (
                      <tr key={r.id}><Cell>{r.name}</Cell><Cell>{r.clicks}</Cell><Cell>{r.conversions}</Cell><Cell>{r.approved}</Cell><Cell>{money(r.payout)}</Cell><Cell>{money(r.revenue)}</Cell></tr>
                    ))}
                  </Table>
                </>
              )}
            </Card>
          ))}
        </div>
      ) : null}
    </>
  );
}

function first(value: string | string[] | undefined) {
  return Array.isArray(value) ? value[0] : value;
}

/** From and to dates in the URL, and shortcuts for the usual spans ending today (the organization's today, its open day). */
function RangePicker({ base, range, today, asked, problem }: { base: string; range: StatsRange; today: string; asked: { from?: string; to?: string }; problem: AppError | null }) {
  const since = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const errorId = "stats-range-error";
  return (
    <form method="get" action={base} aria-label="Date range" className="mb-6 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="stats-from" className={labelClass}>From</label>
        <input id="stats-from" name="from" type="date" defaultValue={problem ? (asked.from ?? "") : range.from} max={today} className={inputClass} aria-invalid={problem?.field === "from" || undefined} aria-describedby={problem ? errorId : undefined} />
      </div>
      <div>
        <label htmlFor="stats-to" className={labelClass}>To</label>
        <input id="stats-to" name="to" type="date" defaultValue={problem ? (asked.to ?? "") : range.to} className={inputClass} aria-invalid={problem?.field === "to" || undefined} aria-describedby={problem ? errorId : undefined} />
      </div>
      <button type="submit" className={buttonClass("secondary")}>Show</button>
      <div className="flex flex-wrap gap-1 text-sm">
        {[7, 30, 90, 365].map((n) => (
          <Link key={n} href={`${base}?from=${since(n)}&to=${today}`} className={buttonClass("ghost", "px-2 py-1")}>{n} days</Link>
        ))}
      </div>
      {problem ? (
        <p id={errorId} role="alert" className="w-full text-sm text-red-600">
          {problem.message} Showing the last 14 days instead (at most {MAX_STATS_DAYS} days at a time).
        </p>
      ) : null}
    </form>
  );
}
