import { LocalTime } from "@/components/local-time";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { dispatchHealth } from "@/lib/reports/health";

export const dynamic = "force-dynamic";

export default async function HealthPage() {
  await requirePermission("health:read");
  const health = await dispatchHealth(getDb());
  const rate = health.successRate === null ? "—" : `${(health.successRate * 100).toFixed(1)}%`;
  return (
    <>
      <PageHeader title="Dispatch health" description={`Outgoing postbacks over the last ${health.windowHours} hours.`} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Pending backlog" value={health.pending} hint={health.oldestPendingMinutes !== null ? `oldest ${health.oldestPendingMinutes} min` : "nothing waiting"} />
        <Stat label="Success rate" value={rate} hint={`${health.attempts} attempts`} />
        <Stat label="Failing destinations" value={health.failing.length} />
        <Stat label="Paused postbacks" value={health.paused.length} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Slowest destinations">
          {health.slowest.length === 0 ? <EmptyState title="No attempts in this window" /> : (
            <Table head={["Host", "Attempts", "Average"]}>
              {health.slowest.map((d) => (
                <tr key={d.host}><Cell mono>{d.host}</Cell><Cell>{d.attempts}</Cell><Cell>{d.avgMs} ms</Cell></tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Failing destinations">
          {health.failing.length === 0 ? <EmptyState title="No failures in this window" /> : (
            <Table head={["Host", "Failures", "Last error"]}>
              {health.failing.map((d) => (
                <tr key={d.host}><Cell mono>{d.host}</Cell><Cell>{d.failures}</Cell><Cell wrap>{d.lastError}</Cell></tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title="Paused postbacks">
          {health.paused.length === 0 ? <EmptyState title="No postback is paused" /> : (
            <Table head={["Postback", "Owner", "Since", "Why"]}>
              {health.paused.map((p) => (
                <tr key={p.id}><Cell>{p.name}</Cell><Cell>{p.owner}</Cell><Cell>{p.pausedAt ? <LocalTime iso={new Date(p.pausedAt).toISOString()} /> : "—"}</Cell><Cell wrap>{p.reason}</Cell></tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
