import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { CopyButton } from "@/components/copy-button";
import { LocalTime } from "@/components/local-time";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { buttonClass } from "@/components/ui/styles";
import { requirePermission } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";
import { demoReceiverUrl, KEPT_PER_INBOX, listDemoReceipts } from "@/lib/demo/receiver";
import { getDb } from "@/lib/platform/database";
import { requestOrigin } from "@/lib/platform/request-url";

/** Integration → Demo receiver: the built-in stand-in tracker's address and what it got. */
export async function DemoReceiverScreen() {
  const user = await requirePermission("postbacks:read");
  const [receipts, origin, t] = await Promise.all([listDemoReceipts(getDb(), user.orgId), requestOrigin(), getTranslations("demoReceiver")]);
  const inside = demoReceiverUrl(user.orgId);
  const outside = `${origin}/api/demo-receiver/${user.orgId}`;
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { count: KEPT_PER_INBOX })}
        actions={<Link href={`${HOME_PATHS[user.orgKind]}/demo-receiver`} className={buttonClass("secondary")}>{t("refresh")}</Link>}
      />
      <div className="grid gap-6">
        <Card title={t("address")}>
          <div className="space-y-3 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <code className="break-all rounded bg-slate-50 px-2 py-1 text-xs" data-testid="demo-receiver-url">{inside}</code>
              <CopyButton value={inside} />
            </p>
            <p className="text-slate-600">
              {t.rich("useIt", { example: "?subid={aff_click_id}&status={status}", domain: ".invalid", code: (chunks) => <code className="text-xs">{chunks}</code> })}
            </p>
            <p className="text-slate-600">
              {t.rich("outside", { url: outside, code: (chunks) => <code className="break-all text-xs">{chunks}</code> })}
            </p>
          </div>
        </Card>
        <Card title={t("received")}>
          {receipts.length === 0 ? (
            <EmptyState title={t("empty")}>{t("emptyHint")}</EmptyState>
          ) : (
            <Table head={[t("time"), t("request"), t("via")]}>
              {receipts.map((r) => (
                <tr key={r.id} data-receipt-id={r.id} className="align-top">
                  <Cell><LocalTime iso={r.createdAt.toISOString()} /></Cell>
                  <td className="px-5 py-2.5">
                    <details>
                      <summary className="cursor-pointer break-all font-mono text-xs">{r.method} {r.url}</summary>
                      <pre className="mt-2 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs">
                        {Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}
                        {r.body ? `\n\n${r.body}` : ""}
                      </pre>
                    </details>
                  </td>
                  <Cell>{r.via === "in-process" ? t("viaInside") : t("viaHttp")}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
