import Link from "next/link";
import { ActionButton } from "@/components/action-button";
import { OfferForm } from "@/components/offer-form";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listMerchants } from "@/lib/incoming/endpoints";
import { listNetworkOffers } from "@/lib/tracking/offers";
import { setOfferStatusAction } from "./actions";

export default async function NetworkOffersPage() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [rows, merchants] = await Promise.all([listNetworkOffers(db, user.orgId), listMerchants(db)]);
  return (
    <>
      <PageHeader title="Offers" description="What your affiliates promote, and what each conversion pays." />
      <Card>
        {rows.length === 0 ? (
          <EmptyState title="No offers yet">Create an offer for one of your merchants.</EmptyState>
        ) : (
          <Table head={["Offer", "Merchant", "Payout", "Revenue", "Status", ""]}>
            {rows.map(({ offer, merchantName }) => (
              <tr key={offer.id}>
                <Cell>
                  <Link href={`/network/offers/${offer.id}`} className="font-medium text-brand-700 hover:underline">
                    {offer.name}
                  </Link>
                </Cell>
                <Cell>{merchantName}</Cell>
                <Cell>
                  {Number(offer.defaultPayout).toFixed(2)} {offer.currency}
                </Cell>
                <Cell>
                  {Number(offer.defaultRevenue).toFixed(2)} {offer.currency}
                </Cell>
                <Cell>
                  <StatusBadge status={offer.status} />
                </Cell>
                <Cell>
                  <ActionButton action={setOfferStatusAction} input={{ id: offer.id, status: offer.status === "active" ? "paused" : "active" }} label={offer.status === "active" ? "Pause" : "Resume"} />
                </Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <div className="mt-6">
        <Card title="New offer">
          {merchants.length === 0 ? (
            <EmptyState title="No merchant yet">An admin adds merchant organizations.</EmptyState>
          ) : (
            <OfferForm
              merchants={merchants}
              initial={{ name: "", merchantId: merchants[0].id, description: "", landingUrl: "", defaultPayout: "0", defaultRevenue: "0", currency: "USD", allowMultipleConversions: false, clickLifetimeHours: 720, status: "active" }}
            />
          )}
        </Card>
      </div>
    </>
  );
}
