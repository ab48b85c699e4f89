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
  const now = Date.now();
  return (
    <>
      <PageHeader
        title="API keys"
        description="For your own systems: the management API at /api/v1 with Authorization: Bearer <key>. A read-only key can read everything this workspace shows and change nothing."
      />
      <div className="grid gap-6">
        <Card title="New key">
          <ApiKeyForm />
          <pre className="mt-4 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
            {`curl ${origin}/api/v1/conversions?limit=20 -H 'Authorization: Bearer YOUR_KEY'`}
            {user.orgKind === "affiliate"
              ? `\n\ncurl -X POST ${origin}/api/leads -H 'Authorization: Bearer YOUR_KEY' \\\n  -H 'content-type: application/json' -d '{"click_id": "CLICK_ID", "lead_id": "L-1001"}'`
              : ""}
          </pre>
          <p className="mt-3 text-sm text-slate-600">
            Every endpoint, with its fields and errors: <Link className="text-indigo-700 underline" href="/api-reference">the API reference</Link> (
            <a className="text-indigo-700 underline" href="/api/v1/openapi.json">openapi.json</a>).
          </p>
        </Card>
        <Card title="Keys">
          {keys.length === 0 ? (
            <EmptyState title="No keys yet" />
          ) : (
            <Table head={["Name", "Starts with", "Access", "Created", "Last used", "Expires", "State", ""]}>
              {keys.map((k) => {
                const expired = k.expiresAt !== null && k.expiresAt.getTime() <= now;
                return (
                  <tr key={k.id}>
                    <Cell>{k.name}</Cell>
                    <Cell mono>{k.prefix}…</Cell>
                    <Cell>{k.access === "read" ? "Read only" : "Read and write"}</Cell>
                    <Cell><LocalTime iso={k.createdAt.toISOString()} /></Cell>
                    <Cell>{k.lastUsedAt ? <LocalTime iso={k.lastUsedAt.toISOString()} /> : "Never"}</Cell>
                    <Cell>{k.expiresAt ? <LocalTime iso={k.expiresAt.toISOString()} /> : "Never"}</Cell>
                    <Cell><StatusBadge status={k.revokedAt || expired ? "disabled" : "active"} /></Cell>
                    <Cell>
                      {k.revokedAt ? null : (
                        <ActionButton action={revokeApiKeyAction} input={{ id: k.id }} label="Revoke" confirm={`Revoke “${k.name}”? Systems using it get 401 at once.`} />
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
