import { getFormatter, getTranslations } from "next-intl/server";
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
  const [t, format] = await Promise.all([getTranslations("find"), getFormatter()]);
  if (Array.isArray(found) && found.length === 1) redirect(`${base}/${encodeURIComponent(found[0].conversionId)}`);
  return (
    <>
      <PageHeader title={t("title")} description={term.trim() ? t("description", { term: term.trim() }) : undefined} />
      <Card>
        {!Array.isArray(found) ? (
          <p role="alert" className="text-sm text-red-700">{found.message}</p>
        ) : found.length === 0 ? (
          <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
        ) : (
          <Table head={[t("time"), t("conversion"), t("offer"), t("clickId"), t("transaction"), t("status"), t("foundBy")]}>
            {found.map((m) => (
              <tr key={m.conversionId} data-conversion-id={m.conversionId}>
                <Cell><LocalTime iso={m.createdAt} /></Cell>
                <Cell mono><Link href={`${base}/${encodeURIComponent(m.conversionId)}`} className="text-brand-700 hover:underline">{m.conversionId}</Link></Cell>
                <Cell>{m.offerName}</Cell>
                <Cell mono truncate={m.clickId}>{m.clickId}</Cell>
                <Cell mono>{m.transactionId ?? "—"}</Cell>
                <Cell><StatusBadge status={m.status} /></Cell>
                <Cell>{format.list(m.matchedBy.map((by) => t("matchedBy", { by })), { type: "conjunction" })}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
