import Link from "next/link";
import { CopyButton } from "@/components/copy-button";
import { LocalTime } from "@/components/local-time";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { buttonClass } from "@/components/ui/styles";
import { requirePermission } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";
import { demoReceiverUrl, listDemoReceipts } from "@/lib/demo/receiver";
import { getDb } from "@/lib/platform/database";
import { requestOrigin } from "@/lib/platform/request-url";

/** Integration → Demo receiver: the built-in stand-in tracker's address and what it got. */
export async function DemoReceiverScreen() {
  const user = await requirePermission("postbacks:read");
  const [receipts, origin] = await Promise.all([listDemoReceipts(getDb(), user.orgId), requestOrigin()]);
  const inside = demoReceiverUrl(user.orgId);
  const outside = `${origin}/api/demo-receiver/${user.orgId}`;
  return (
    <>
      <PageHeader
        title="Demo receiver"
        description="A tracker built into Postline for trying postbacks: point a postback at it and each request it gets shows here (the last 100)."
        actions={<Link href={`${HOME_PATHS[user.orgKind]}/demo-receiver`} className={buttonClass("secondary")}>Refresh</Link>}
      />
      <div className="grid gap-6">
        <Card title="Its address">
          <div className="space-y-3 text-sm">
            <p className="flex flex-wrap items-center gap-2">
              <code className="break-all rounded bg-slate-50 px-2 py-1 text-xs" data-testid="demo-receiver-url">{inside}</code>
              <CopyButton value={inside} />
            </p>
            <p className="text-slate-600">
              Use it as a postback URL, with any path and query after it (<code className="text-xs">?subid={"{aff_click_id}"}&amp;status={"{status}"}</code>).
              Postline answers it itself: the request never leaves the server, and <code className="text-xs">.invalid</code> names nothing on the internet.
            </p>
            <p className="text-slate-600">
              From outside Postline (curl, another tool): <code className="break-all text-xs">{outside}</code>
            </p>
          </div>
        </Card>
        <Card title="Received">
          {receipts.length === 0 ? (
            <EmptyState title="Nothing received yet">A conversion that matches a postback pointing here shows up after its relay.</EmptyState>
          ) : (
            <Table head={["Time", "Request", "Via"]}>
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
                  <Cell>{r.via === "in-process" ? "inside Postline" : "HTTP"}</Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
