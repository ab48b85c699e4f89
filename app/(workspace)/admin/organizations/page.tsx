import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/action-button";
import { CreateOrganizationForm } from "@/components/admin-forms";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listOrganizations } from "@/lib/access/organizations";
import { setOrganizationDisabledAction } from "../actions";

export default async function OrganizationsPage() {
  await requirePermission("organizations:read");
  const rows = await listOrganizations(getDb());
  const t = await getTranslations();
  return (
    <>
      <PageHeader title={t("admin.organizations.title")} description={t("admin.organizations.description")} />
      <div className="grid gap-6">
        <Card title={t("admin.organizations.add")}>
          <CreateOrganizationForm />
        </Card>
        <Card>
          <Table head={[t("admin.columns.organization"), t("admin.columns.kind"), t("admin.columns.users"), t("admin.columns.status"), t("admin.columns.created"), ""]}>
            {rows.map(({ organization, userCount }) => (
              <tr key={organization.id}>
                <Cell>{organization.name}</Cell>
                <Cell>{t(`shell.parties.${organization.kind}`)}</Cell>
                <Cell>{userCount}</Cell>
                <Cell><StatusBadge status={organization.disabledAt ? "disabled" : "active"} /></Cell>
                <Cell><LocalTime iso={organization.createdAt.toISOString()} /></Cell>
                <Cell>
                  {organization.kind === "platform" ? null : (
                    <ActionButton action={setOrganizationDisabledAction} input={{ id: organization.id, disabled: !organization.disabledAt }} label={organization.disabledAt ? t("admin.enable") : t("admin.disable")} />
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
