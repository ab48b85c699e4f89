import { getTranslations } from "next-intl/server";
import { Card, Cell, PageHeader, Stat, Table } from "@/components/ui/page";
import { StatusBadge } from "@/components/status-badge";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations, listUsers } from "@/lib/access/organizations";

export default async function AdminHome() {
  await requirePermission("health:read");
  const db = getDb();
  const [orgs, people] = await Promise.all([listOrganizations(db), listUsers(db)]);
  const t = await getTranslations();
  const byKind = (kind: string) => orgs.filter((o) => o.organization.kind === kind).length;
  return (
    <>
      <PageHeader title={t("admin.home.title")} description={t("admin.home.description")} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t("admin.home.networks")} value={byKind("network")} />
        <Stat label={t("admin.home.merchants")} value={byKind("merchant")} />
        <Stat label={t("admin.home.affiliates")} value={byKind("affiliate")} />
        <Stat label={t("admin.home.users")} value={people.length} />
      </div>
      <Card title={t("admin.home.users")}>
        <Table head={[t("admin.columns.name"), t("admin.columns.email"), t("admin.columns.organization"), t("admin.columns.role"), t("admin.columns.status")]}>
          {people.map((u) => (
            <tr key={u.id}>
              <Cell>{u.name}</Cell>
              <Cell>{u.email}</Cell>
              <Cell>
                {t.rich("admin.orgWithKind", { name: u.orgName, kind: t(`shell.parties.${u.orgKind}`), muted: (chunks) => <span className="text-slate-500">{chunks}</span> })}
              </Cell>
              <Cell>{t("admin.role", { role: u.role })}</Cell>
              <Cell>
                <StatusBadge status={u.disabledAt ? "disabled" : "active"} />
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
