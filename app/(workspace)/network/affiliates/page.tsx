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
  return (
    <>
      <PageHeader title="Affiliates" description="Who may promote your offers." />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No affiliates yet">Affiliates appear here when they ask to join.</EmptyState>
        ) : (
          <Table head={["Affiliate", "Status", "Since", ""]}>
            {rows.map(({ membership, affiliateName }) => (
              <tr key={membership.id}>
                <Cell>{affiliateName}</Cell>
                <Cell>
                  <StatusBadge status={membership.status} />
                </Cell>
                <Cell><LocalTime iso={membership.createdAt.toISOString()} /></Cell>
                <Cell>
                  <span className="flex gap-2" data-affiliate={affiliateName}>
                    {membership.status !== "approved" ? <ActionButton action={decideMembershipAction} input={{ id: membership.id, status: "approved" }} label="Approve" /> : null}
                    {membership.status !== "rejected" ? <ActionButton action={decideMembershipAction} input={{ id: membership.id, status: "rejected" }} label="Reject" variant="ghost" /> : null}
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
