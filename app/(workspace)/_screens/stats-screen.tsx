import { getFormatter, getTranslations } from "next-intl/server";
import Link from "next/link";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { AppError } from "@/lib/platform/errors";
import { HOME_PATHS } from "@/lib/access/permissions";
import { organizationTimeZone } from "@/lib/access/organizations";
import { daysIn, MAX_STATS_DAYS, parseStatsRange, type StatsRange, statsReport } from "@/lib/reports/stats";
import { BarChart } from "@/components/bar-chart";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { buttonClass, inputClass, labelClass } from "@/components/ui/styles";

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
  const { days, byGoal, byOffer, byAffiliate } = await statsReport(db, user, range);
  const totals = days.reduce((t, d) => ({ clicks: t.clicks + d.clicks, leads: t.leads + d.leads, approved: t.approved + d.approved, rejected: t.rejected + d.rejected, payout: t.payout + d.payout }), { clicks: 0, leads: 0, approved: 0, rejected: 0, payout: 0 });
  const [t, format] = await Promise.all([getTranslations("stats"), getFormatter()]);
  // A day is a calendar date of the organization's zone: formatted as such, never shifted by the reader's zone.
  const date = (day: string, style: "short" | "medium") =>
    format.dateTime(new Date(`${day}T00:00:00Z`), style === "short" && days.length <= 62 ? { month: "short", day: "numeric", timeZone: "UTC" } : { dateStyle: "medium", timeZone: "UTC" });
  const label = (day: string) => date(day, "short");
  const count = (n: number) => format.number(n);
  const money = (n: number) => format.number(n, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const base = `${HOME_PATHS[user.orgKind]}/stats`;
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { from: date(range.from, "medium"), to: date(range.to, "medium"), days: daysIn(range), timeZone })} />
      <RangePicker base={base} range={range} today={parseStatsRange({ timeZone }).to} asked={asked} problem={problem} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label={t("clicks")} value={count(totals.clicks)} />
        <Stat label={t("conversions")} value={count(totals.leads)} />
        <Stat label={t("approved")} value={count(totals.approved)} />
        <Stat label={t("rejected")} value={count(totals.rejected)} />
        <Stat label={t("payoutApproved")} value={money(totals.payout)} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card><BarChart title={t("clicksPerDay")} data={days.map((d) => ({ label: label(d.day), value: d.clicks }))} /></Card>
        <Card><BarChart title={t("approvedPerDay")} data={days.map((d) => ({ label: label(d.day), value: d.approved }))} /></Card>
        <Card><BarChart title={t("payoutPerDay")} data={days.map((d) => ({ label: label(d.day), value: d.payout }))} format="money" /></Card>
        <Card title={t("perDay")}>
          {days.some((d) => d.clicks || d.leads) ? (
            <Table head={[t("day"), t("clicks"), t("conversions"), t("approved"), t("rejected"), t("payout")]}>
              {days.filter((d) => d.clicks || d.leads).reverse().map((d) => (
                <tr key={d.day}><Cell>{date(d.day, "medium")}</Cell><Cell>{count(d.clicks)}</Cell><Cell>{count(d.leads)}</Cell><Cell>{count(d.approved)}</Cell><Cell>{count(d.rejected)}</Cell><Cell>{money(d.payout)}</Cell></tr>
              ))}
            </Table>
          ) : <EmptyState title={t("noTraffic")} />}
        </Card>
      </div>
      <div className="mt-6">
        <Card title={t("perGoal")}>
          {byGoal.length === 0 ? <EmptyState title={t("noConversions")} /> : (
            <Table head={[t("goal"), t("conversions"), t("approved"), t("payout"), ...(user.orgKind === "affiliate" ? [] : [t("revenue")])]}>
              {byGoal.map((g) => (
                <tr key={g.goal} data-goal={g.goal}><Cell mono>{g.goal}</Cell><Cell>{count(g.conversions)}</Cell><Cell>{count(g.approved)}</Cell><Cell>{money(g.payout)}</Cell>{g.revenue === null ? null : <Cell>{money(g.revenue)}</Cell>}</tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
      {user.orgKind === "network" ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          {([[t("perOffer"), byOffer], [t("perAffiliate"), byAffiliate]] as const).map(([title, rows]) => (
            <Card key={title} title={title}>
              {rows.length === 0 ? <EmptyState title={t("noTraffic")} /> : (
                <>
                  <BarChart title={t("revenue")} data={rows.slice(0, 10).map((r) => ({ label: r.name, value: r.revenue }))} format="money" />
                  <Table head={[t("name"), t("clicks"), t("conversions"), t("approved"), t("payout"), t("revenue")]}>
                    {rows.map((r) => (
                      <tr key={r.id}><Cell>{r.name}</Cell><Cell>{count(r.clicks)}</Cell><Cell>{count(r.conversions)}</Cell><Cell>{count(r.approved)}</Cell><Cell>{money(r.payout)}</Cell><Cell>{money(r.revenue)}</Cell></tr>
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
async function RangePicker({ base, range, today, asked, problem }: { base: string; range: StatsRange; today: string; asked: { from?: string; to?: string }; problem: AppError | null }) {
  const since = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const errorId = "stats-range-error";
  const t = await getTranslations("stats");
  return (
    <form method="get" action={base} aria-label={t("range")} className="mb-6 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="stats-from" className={labelClass}>{t("from")}</label>
        <input id="stats-from" name="from" type="date" defaultValue={problem ? (asked.from ?? "") : range.from} max={today} className={inputClass} aria-invalid={problem?.field === "from" || undefined} aria-describedby={problem ? errorId : undefined} />
      </div>
      <div>
        <label htmlFor="stats-to" className={labelClass}>{t("to")}</label>
        <input id="stats-to" name="to" type="date" defaultValue={problem ? (asked.to ?? "") : range.to} className={inputClass} aria-invalid={problem?.field === "to" || undefined} aria-describedby={problem ? errorId : undefined} />
      </div>
      <button type="submit" className={buttonClass("secondary")}>{t("show")}</button>
      <div className="flex flex-wrap gap-1 text-sm">
        {[7, 30, 90, 365].map((n) => (
          <Link key={n} href={`${base}?from=${since(n)}&to=${today}`} className={buttonClass("ghost", "px-2 py-1")}>{t("lastDays", { count: n })}</Link>
        ))}
      </div>
      {problem ? (
        <p id={errorId} role="alert" className="w-full text-sm text-red-600">
          {problem.message} {t("rangeFallback", { max: MAX_STATS_DAYS })}
        </p>
      ) : null}
    </form>
  );
}
