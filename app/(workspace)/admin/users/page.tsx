import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/action-button";
import { CreateUserForm, ResetPasswordButton } from "@/components/admin-forms";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations, listUsers } from "@/lib/access/organizations";
import { setUserDisabledAction } from "../actions";

export default async function UsersPage() {
  await requirePermission("users:read");
  const db = getDb();
  const [people, orgs] = await Promise.all([listUsers(db), listOrganizations(db)]);
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("admin.users.title")} description={t("admin.users.description")} />
      <div className="grid gap-6">
        <Card title={t("admin.users.add")}>
          <CreateUserForm organizations={orgs.map(({ organization: o }) => ({ id: o.id, label: t("admin.orgWithKindPlain", { name: o.name, kind: t(`shell.parties.${o.kind}`) }) }))} />
        </Card>
        <Card title={t("admin.users.title")}>
          <Table head={[t("admin.columns.name"), t("admin.columns.email"), t("admin.columns.organization"), t("admin.columns.role"), t("admin.columns.status"), ""]} pinLast>
            {people.map((u) => (
              <tr key={u.id} data-user-email={u.email}>
                <Cell>{u.name}</Cell>
                <Cell>{u.email}</Cell>
                <Cell>{t.rich("admin.orgWithKind", { name: u.orgName, kind: t(`shell.parties.${u.orgKind}`), muted: (chunks) => <span className="text-slate-500">{chunks}</span> })}</Cell>
                <Cell>{t("admin.role", { role: u.role })}</Cell>
                <Cell><StatusBadge status={u.disabledAt ? "disabled" : "active"} /></Cell>
                <Cell pinned>
                  <span className="flex gap-2">
                    <ActionButton action={setUserDisabledAction} input={{ id: u.id, disabled: !u.disabledAt }} label={u.disabledAt ? t("admin.enable") : t("admin.disable")} />
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
