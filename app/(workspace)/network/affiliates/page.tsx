import { getTranslations } from "next-intl/server";
import { LocalTime } from "@/components/local-time";
import { ActionButton } from "@/components/action-button";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listNetworkMemberships } from "@/lib/access/memberships";
import { decideMembershipAction } from "./actions";

export default async function NetworkAffiliatesPage() {
  const user = await requirePermission("memberships:read");
  const rows = await listNetworkMemberships(getDb(), user.orgId);
  const t = await getTranslations("network");
  return (
    <>
      <PageHeader title={t("affiliates.title")} description={t("affiliates.description")} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title={t("affiliates.empty")}>{t("affiliates.emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("common.affiliate"), t("common.status"), t("affiliates.since"), ""]}>
            {rows.map(({ membership, affiliateName }) => (
              <tr key={membership.id}>
                <Cell>{affiliateName}</Cell>
                <Cell>
                  <StatusBadge status={membership.status} />
                </Cell>
                <Cell><LocalTime iso={membership.createdAt.toISOString()} /></Cell>
                <Cell>
                  <span className="flex gap-2" data-affiliate={affiliateName}>
                    {membership.status !== "approved" ? <ActionButton action={decideMembershipAction} input={{ id: membership.id, status: "approved" }} label={t("affiliates.approve")} /> : null}
                    {membership.status !== "rejected" ? <ActionButton action={decideMembershipAction} input={{ id: membership.id, status: "rejected" }} label={t("affiliates.reject")} variant="ghost" /> : null}
                  </span>
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
