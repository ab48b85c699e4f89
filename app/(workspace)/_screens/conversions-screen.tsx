import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listConversions } from "@/lib/conversions/conversion-queries";
import { can } from "@/lib/access/permissions";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { StatusChanger } from "@/components/status-changer";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";

export async function ConversionsScreen() {
  const user = await requirePermission("conversions:read");
  const rows = await listConversions(getDb(), user, { limit: 200 });
  const editable = user.orgKind === "network" && can(user, "conversions:write");
  return (
    <>
      <PageHeader title="Conversions" description={editable ? "Change a status by hand: it follows the same rules and fires the same postbacks as the merchant's." : "Conversions of your offers, as the merchant's postbacks left them."} />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No conversions yet">They appear when a merchant's server posts a status for a click.</EmptyState>
        ) : (
          <Table head={["Time", "Offer", "Affiliate", "Click id", "Transaction", "Status", "Payout", "Revenue", ...(editable ? ["Change"] : [])]} pinLast={editable}>
            {rows.map((c) => (
              <tr key={c.id} data-conversion-id={c.id} data-click-id={c.clickId}>
                <Cell><LocalTime iso={c.createdAt.toISOString()} /></Cell>
                <Cell>{c.offerName}</Cell>
                <Cell>{c.affiliateName}</Cell>
                <Cell mono truncate={c.clickId}>{c.clickId}</Cell>
                <Cell mono truncate={c.transactionId ?? undefined}>{c.transactionId ?? "—"}</Cell>
                <Cell><StatusBadge status={c.status} /> {c.originalStatus ? <span className="text-xs text-slate-500">({c.originalStatus})</span> : null}</Cell>
                <Cell>{Number(c.payout).toFixed(2)} {c.currency}</Cell>
                <Cell>{Number(c.revenue).toFixed(2)} {c.currency}</Cell>
                {editable ? <Cell pinned><StatusChanger id={c.id} status={c.status} /></Cell> : null}
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
