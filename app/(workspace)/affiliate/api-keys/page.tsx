import { ActionButton } from "@/components/action-button";
import { ApiKeyForm } from "@/components/api-key-form";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { listApiKeys } from "@/lib/access/api-keys";
import { requirePermission } from "@/lib/access/auth";
import { requestOrigin } from "@/lib/platform/request-url";
import { revokeApiKeyAction } from "../actions";

export default async function ApiKeysPage() {
  const user = await requirePermission("api_keys:write");
  const [keys, origin] = await Promise.all([listApiKeys(getDb(), user.orgId), requestOrigin()]);
  return (
    <>
      <PageHeader title="API keys" description="For reporting leads from your own systems: POST /api/leads with Authorization: Bearer <key>." />
      <div className="grid gap-6">
        <Card title="New key">
          <ApiKeyForm />
          <pre className="mt-4 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{`curl -X POST ${origin}/api/leads -H 'Authorization: Bearer YOUR_KEY' \\\n  -H 'content-type: application/json' -d '{"click_id": "CLICK_ID", "lead_id": "L-1001"}'`}</pre>
        </Card>
        <Card title="Keys">
          {keys.length === 0 ? (
            <EmptyState title="No keys yet" />
          ) : (
            <Table head={["Name", "Starts with", "Created", "State", ""]}>
              {keys.map((k) => (
                <tr key={k.id}>
                  <Cell>{k.name}</Cell>
                  <Cell mono>{k.prefix}…</Cell>
                  <Cell><LocalTime iso={k.createdAt.toISOString()} /></Cell>
                  <Cell><StatusBadge status={k.revokedAt ? "disabled" : "active"} /></Cell>
                  <Cell>{k.revokedAt ? null : <ActionButton action={revokeApiKeyAction} input={{ id: k.id }} label="Revoke" confirm={`Revoke “${k.name}”? Systems using it get 401 at once.`} />}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
