import { ActionButton } from "@/components/action-button";
import { CreateUserForm, ResetPasswordButton } from "@/components/admin-forms";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations, listUsers } from "@/lib/access/organizations";
import { PARTY_LABELS } from "@/lib/access/permissions";
import { setUserDisabledAction } from "../actions";

export default async function UsersPage() {
  await requirePermission("users:read");
  const db = getDb();
  const [people, orgs] = await Promise.all([listUsers(db), listOrganizations(db)]);
  return (
    <>
      <PageHeader title="Users" description="Who signs in, for which organization, with which role." />
      <div className="grid gap-6">
        <Card title="Add a user">
          <CreateUserForm organizations={orgs.map(({ organization: o }) => ({ id: o.id, label: `${o.name} (${PARTY_LABELS[o.kind]})` }))} />
        </Card>
        <Card title="Users">
          <Table head={["Name", "Email", "Organization", "Role", "Status", ""]} pinLast>
            {people.map((u) => (
              <tr key={u.id} data-user-email={u.email}>
                <Cell>{u.name}</Cell>
                <Cell>{u.email}</Cell>
                <Cell>{u.orgName} <span className="text-slate-500">({PARTY_LABELS[u.orgKind]})</span></Cell>
                <Cell>{u.role}</Cell>
                <Cell><StatusBadge status={u.disabledAt ? "disabled" : "active"} /></Cell>
                <Cell pinned>
                  <span className="flex gap-2">
                    <ActionButton action={setUserDisabledAction} input={{ id: u.id, disabled: !u.disabledAt }} label={u.disabledAt ? "Enable" : "Disable"} />
                    <ResetPasswordButton id={u.id} email={u.email} />
                  </span>
                </Cell>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}
