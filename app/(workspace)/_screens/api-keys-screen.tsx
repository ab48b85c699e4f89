import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { ApiKeyForm } from "@/components/api-key-form";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { listApiKeys } from "@/lib/access/api-keys";
import { requirePermission } from "@/lib/access/auth";
import { getDb } from "@/lib/platform/database";
import { requestOrigin } from "@/lib/platform/request-url";
import { revokeApiKeyAction } from "../api-keys/actions";

/** Every party's API keys page: the management API (and, for affiliates, the leads API). */
export async function ApiKeysScreen() {
  const user = await requirePermission("api_keys:write");
  const [keys, origin] = await Promise.all([listApiKeys(getDb(), user.orgId), requestOrigin()]);
  const t = await getTranslations("apiKeys");
  const never = (await getTranslations("common"))("never");
  const now = Date.now();
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6">
        <Card title={t("newKey")}>
          <ApiKeyForm />
          <pre className="mt-4 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            {`curl ${origin}/api/v1/conversions?limit=20 -H 'Authorization: Bearer YOUR_KEY'`}
            {user.orgKind === "affiliate"
              ? `\n\ncurl -X POST ${origin}/api/leads -H 'Authorization: Bearer YOUR_KEY' \\\n  -H 'content-type: application/json' -d '{"click_id": "CLICK_ID", "lead_id": "L-1001"}'`
              : ""}
          </pre>
          <p className="mt-3 text-sm text-slate-600">
            {t.rich("reference", {
              reference: (chunks) => <Link className="text-indigo-700 underline" href="/api-reference">{chunks}</Link>,
              document: (chunks) => <a className="text-indigo-700 underline" href="/api/v1/openapi.json">{chunks}</a>,
            })}
          </p>
        </Card>
        <Card title={t("keys")} footer={keys.length > 0 ? <span className="text-slate-600">{t("count", { count: keys.length })}</span> : undefined}>
          {keys.length === 0 ? (
            <EmptyState title={t("empty")} />
          ) : (
            <Table head={[t("name"), t("prefix"), t("access"), t("created"), t("lastUsed"), t("expires"), t("state"), ""]}>
              {keys.map((k) => {
                const expired = k.expiresAt !== null && k.expiresAt.getTime() <= now;
                return (
                  <tr key={k.id}>
                    <Cell>{k.name}</Cell>
                    <Cell mono>{k.prefix}…</Cell>
                    <Cell>{k.access === "read" ? t("readOnly") : t("readWrite")}</Cell>
                    <Cell><LocalTime iso={k.createdAt.toISOString()} /></Cell>
                    <Cell>{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt.toISOString()} /> : never}</Cell>
                    <Cell>{k.expiresAt ? <LocalTime iso={k.expiresAt.toISOString()} /> : never}</Cell>
                    <Cell>{k.revokedAt || expired ? <StatusBadge status="disabled" label={t("disabled")} /> : <StatusBadge status="active" label={t("active")} />}</Cell>
                    <Cell>
                      {k.revokedAt ? null : (
                        <ActionButton action={revokeApiKeyAction} input={{ id: k.id }} label={t("revoke")} confirm={t("revokeConfirm", { name: k.name })} />
                      )}
                    </Cell>
                  </tr>
                );
              })}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
