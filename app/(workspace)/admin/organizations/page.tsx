import { ActionButton } from "@/components/action-button";
import { CreateOrganizationForm } from "@/components/admin-forms";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations } from "@/lib/access/organizations";
import { PARTY_LABELS } from "@/lib/access/permissions";
import { setOrganizationDisabledAction } from "../actions";

export default async function OrganizationsPage() {
  await requirePermission("organizations:read");
  const rows = await listOrganizations(getDb());
  return (
    <>
      <PageHeader title="Organizations" description="Every network, merchant and affiliate on this Postline." />
      <div className="grid gap-6">
        <Card title="Add an organization">
          <CreateOrganizationForm />
        </Card>
        <Card>
          <Table head={["Organization", "Kind", "Users", "Status", "Created", ""]}>
            {rows.map(({ organization, userCount }) => (
              <tr key={organization.id}>
                <Cell>{organization.name}</Cell>
                <Cell>{PARTY_LABELS[organization.kind]}</Cell>
                <Cell>{userCount}</Cell>
                <Cell><StatusBadge status={organization.disabledAt ? "disabled" : "active"} /></Cell>
                <Cell><LocalTime iso={organization.createdAt.toISOString()} /></Cell>
                <Cell>
                  {organization.kind === "platform" ? null : (
                    <ActionButton action={setOrganizationDisabledAction} input={{ id: organization.id, disabled: !organization.disabledAt }} label={organization.disabledAt ? "Enable" : "Disable"} />
                  )}
                </Cell>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}
