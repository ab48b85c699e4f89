import { Card, Cell, PageHeader, Stat, Table } from "@/components/ui/page";
import { StatusBadge } from "@/components/status-badge";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations, listUsers } from "@/lib/access/organizations";
import { PARTY_LABELS } from "@/lib/access/permissions";

export default async function AdminHome() {
  await requirePermission("health:read");
  const db = getDb();
  const [orgs, people] = await Promise.all([listOrganizations(db), listUsers(db)]);
  const byKind = (kind: string) => orgs.filter((o) => o.organization.kind === kind).length;
  return (
    <>
      <PageHeader title="Platform" description="Organizations and the people who sign in." />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Networks" value={byKind("network")} />
        <Stat label="Merchants" value={byKind("merchant")} />
        <Stat label="Affiliates" value={byKind("affiliate")} />
        <Stat label="Users" value={people.length} />
      </div>
      <Card title="Users">
        <Table head={["Name", "Email", "Organization", "Role", "Status"]}>
          {people.map((u) => (
            <tr key={u.id}>
              <Cell>{u.name}</Cell>
              <Cell>{u.email}</Cell>
              <Cell>
                {u.orgName} <span className="text-slate-500">({PARTY_LABELS[u.orgKind]})</span>
              </Cell>
              <Cell>{u.role}</Cell>
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
