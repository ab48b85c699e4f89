import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";
import { findConversions } from "@/lib/conversions/find";
import { getDb } from "@/lib/platform/database";
import { AppError } from "@/lib/platform/errors";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";

const MATCHED_BY: Record<string, string> = {
  conversion_id: "conversion id",
  click_id: "click id",
  aff_click_id: "tracker's click id",
  transaction_id: "transaction id",
  delivery_id: "delivery id",
};

/** The search box's answer: the one conversion's timeline, or the list when several match. */
export default async function FindPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const user = await requirePermission("conversions:read");
  const raw = (await searchParams).q;
  const term = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const found = await findConversions(getDb(), user, term).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "invalid_input") return error;
    throw error;
  });
  const base = `${HOME_PATHS[user.orgKind]}/conversions`;
  if (Array.isArray(found) && found.length === 1) redirect(`${base}/${encodeURIComponent(found[0].conversionId)}`);
  return (
    <>
      <PageHeader title="Find a conversion" description={term.trim() ? `Exact matches for “${term.trim()}” among your conversions.` : undefined} />
      <Card>
        {!Array.isArray(found) ? (
          <p role="alert" className="text-sm text-red-700">{found.message}</p>
        ) : found.length === 0 ? (
          <EmptyState title="No conversion of yours matches">
            Search by a click id, your tracker&apos;s click id, a transaction id, a delivery id or a conversion id, exactly as written.
          </EmptyState>
        ) : (
          <Table head={["Time", "Conversion", "Offer", "Click id", "Transaction", "Status", "Found by"]}>
            {found.map((m) => (
              <tr key={m.conversionId} data-conversion-id={m.conversionId}>
                <Cell><LocalTime iso={m.createdAt} /></Cell>
                <Cell mono><Link href={`${base}/${encodeURIComponent(m.conversionId)}`} className="text-brand-700 hover:underline">{m.conversionId}</Link></Cell>
                <Cell>{m.offerName}</Cell>
                <Cell mono truncate={m.clickId}>{m.clickId}</Cell>
                <Cell mono>{m.transactionId ?? "—"}</Cell>
                <Cell><StatusBadge status={m.status} /></Cell>
                <Cell>{m.matchedBy.map((b) => MATCHED_BY[b]).join(", ")}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
