import { Card, Cell, PageHeader, Table } from "@/components/ui/page";
import { StatusBadge } from "@/components/status-badge";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/auth";
import { listOrganizations } from "@/lib/organizations";
import { PARTY_LABELS } from "@/lib/permissions";

export default async function OrganizationsPage() {
  await requirePermission("organizations:read");
  const rows = await listOrganizations(getDb());
  return (
    <>
      <PageHeader title="Organizations" description="Every network, merchant and affiliate on this Postline." />
      <Card>
        <Table head={["Organization", "Kind", "Users", "Status", "Created"]}>
          {rows.map(({ organization, userCount }) => (
            <tr key={organization.id}>
              <Cell>{organization.name}</Cell>
              <Cell>{PARTY_LABELS[organization.kind]}</Cell>
              <Cell>{userCount}</Cell>
              <Cell>
                <StatusBadge status={organization.disabledAt ? "disabled" : "active"} />
              </Cell>
              <Cell>{organization.createdAt.toISOString().slice(0, 10)}</Cell>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
