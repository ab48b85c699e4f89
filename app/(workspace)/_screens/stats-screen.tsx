import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { dailyStats, networkBreakdown } from "@/lib/reports/stats";
import { BarChart } from "@/components/bar-chart";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";

const money = (v: number) => v.toFixed(2);

export async function StatsScreen() {
  const user = await requirePermission("stats:read");
  const db = getDb();
  const days = await dailyStats(db, user, 14);
  const totals = days.reduce((t, d) => ({ clicks: t.clicks + d.clicks, leads: t.leads + d.leads, approved: t.approved + d.approved, rejected: t.rejected + d.rejected, payout: t.payout + d.payout }), { clicks: 0, leads: 0, approved: 0, rejected: 0, payout: 0 });
  const [byOffer, byAffiliate] = user.orgKind === "network" ? await Promise.all([networkBreakdown(db, user.orgId, "offer"), networkBreakdown(db, user.orgId, "affiliate")]) : [[], []];
  return (
    <>
      <PageHeader title="Stats" description="The last 14 days, by UTC day. Conversions count on the day they were made, in their status now." />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-5">
        <Stat label="Clicks" value={totals.clicks} />
        <Stat label="Conversions" value={totals.leads} />
        <Stat label="Approved" value={totals.approved} />
        <Stat label="Rejected" value={totals.rejected} />
        <Stat label="Payout (approved)" value={money(totals.payout)} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card><BarChart title="Clicks per day" data={days.map((d) => ({ label: d.day.slice(5), value: d.clicks }))} /></Card>
        <Card><BarChart title="Approved conversions per day" data={days.map((d) => ({ label: d.day.slice(5), value: d.approved }))} /></Card>
        <Card><BarChart title="Payout per day" data={days.map((d) => ({ label: d.day.slice(5), value: d.payout }))} format={money} /></Card>
        <Card title="Per day">
          <Table head={["Day", "Clicks", "Conversions", "Approved", "Rejected", "Payout"]}>
            {days.filter((d) => d.clicks || d.leads).reverse().map((d) => (
              <tr key={d.day}><Cell>{d.day}</Cell><Cell>{d.clicks}</Cell><Cell>{d.leads}</Cell><Cell>{d.approved}</Cell><Cell>{d.rejected}</Cell><Cell>{money(d.payout)}</Cell></tr>
            ))}
          </Table>
        </Card>
      </div>
      {user.orgKind === "network" ? (
        <div className="mt-6 grid gap-6 lg:grid-cols-2">
          {([["Per offer (30 days)", byOffer], ["Per affiliate (30 days)", byAffiliate]] as const).map(([title, rows]) => (
            <Card key={title} title={title}>
              {rows.length === 0 ? <EmptyState title="No traffic in this period" /> : (
                <>
                  <BarChart title="Revenue" data={rows.slice(0, 10).map((r) => ({ label: r.name, value: r.revenue }))} format={money} />
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
