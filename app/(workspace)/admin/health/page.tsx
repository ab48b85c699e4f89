import { getFormatter, getTranslations } from "next-intl/server";
import { LocalTime } from "@/components/local-time";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { dispatchHealth, retentionHealth } from "@/lib/reports/health";

export const dynamic = "force-dynamic";

export default async function HealthPage() {
  await requirePermission("health:read");
  const [health, retention] = await Promise.all([dispatchHealth(getDb()), retentionHealth(getDb())]);
  const [t, tPostbacks, format] = await Promise.all([getTranslations("admin.health"), getTranslations("postbacks"), getFormatter()]);
  const rate = health.successRate === null ? "—" : format.number(health.successRate, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { hours: health.windowHours })} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t("backlog")} value={format.number(health.pending)} hint={health.oldestPendingMinutes !== null ? t("oldest", { minutes: format.number(health.oldestPendingMinutes) }) : t("nothingWaiting")} />
        <Stat label={t("successRate")} value={rate} hint={t("attempts", { count: health.attempts })} />
        <Stat label={t("failing")} value={health.failing.length} />
        <Stat label={t("paused")} value={health.paused.length} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("slowest")}>
          {health.slowest.length === 0 ? <EmptyState title={t("noAttempts")} /> : (
            <Table head={[t("host"), t("attemptsColumn"), t("average")]}>
              {health.slowest.map((d) => (
                <tr key={d.host}><Cell mono>{d.host}</Cell><Cell>{format.number(d.attempts)}</Cell><Cell>{t("averageMs", { ms: format.number(d.avgMs) })}</Cell></tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("failing")}>
          {health.failing.length === 0 ? <EmptyState title={t("noFailures")} /> : (
            <Table head={[t("host"), t("failures"), t("lastError")]}>
              {health.failing.map((d) => (
                <tr key={d.host}><Cell mono>{d.host}</Cell><Cell>{format.number(d.failures)}</Cell><Cell wrap>{d.lastError}</Cell></tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("retention")}>
          <p className="mb-3 text-sm text-slate-600">{t("retentionNote", { weeks: retention.weeksAhead })}</p>
          <Table head={[t("retentionTable"), t("daysKept"), t("dropsBefore"), t("partition"), t("partitionFrom"), t("partitionTo"), t("rowsEstimate"), t("size")]}>
            {retention.tables.flatMap((kept) =>
              kept.partitions.map((p, i) => (
                <tr key={p.name}>
                  <Cell>{i === 0 ? t("retainedTable", { table: kept.table }) : ""}</Cell>
                  <Cell>{i === 0 ? format.number(kept.days) : ""}</Cell>
                  <Cell>{i === 0 ? <LocalTime iso={kept.dropsBefore.toISOString()} /> : ""}</Cell>
                  <Cell mono>{p.name}</Cell>
                  <Cell>{p.from ? <LocalTime iso={p.from.toISOString()} /> : t("fromTheStart")}</Cell>
                  <Cell><LocalTime iso={p.to.toISOString()} /></Cell>
                  <Cell>{format.number(Math.round(p.rows))}</Cell>
                  <Cell>{t("sizeMb", { mb: format.number(p.bytes / 1_048_576, { maximumFractionDigits: 1 }) })}</Cell>
                </tr>
              )),
            )}
          </Table>
        </Card>
        <Card title={t("paused")}>
          {health.paused.length === 0 ? <EmptyState title={t("nonePaused")} /> : (
            <Table head={[t("postback"), t("owner"), t("since"), t("why")]}>
              {health.paused.map((p) => (
                <tr key={p.id}><Cell>{p.name}</Cell><Cell>{p.owner}</Cell><Cell>{p.pausedAt ? <LocalTime iso={new Date(p.pausedAt).toISOString()} /> : "—"}</Cell><Cell wrap>
                  {/* The reader's language, as on the postback's own page; the stored English, with the last error, on hover. */}
                  <span title={p.reason ?? undefined}>{tPostbacks("autoPaused", { count: p.failures })}</span>
                </Cell></tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
