import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/action-button";
import { AffiliateBlockList, AffiliateCapList, PayoutPerGoal } from "@/components/affiliate-offer-terms";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listAffiliateMemberships, listJoinableNetworks } from "@/lib/access/memberships";
import { listAffiliateOffers } from "@/lib/tracking/offers";
import { affiliateBlocks, affiliateCaps, affiliatePayouts } from "@/lib/program/manage";
import { requestMembershipAction } from "../actions";

export default async function AffiliateOffersPage() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [offerRows, memberships, joinable] = await Promise.all([listAffiliateOffers(db, user.orgId), listAffiliateMemberships(db, user.orgId), listJoinableNetworks(db, user.orgId)]);
  const offerList = offerRows.map((r) => r.offer);
  const [payouts, caps, blocks, t] = await Promise.all([
    affiliatePayouts(db, user.orgId, offerList),
    affiliateCaps(db, user.orgId, offerList),
    affiliateBlocks(db, user.orgId, offerList),
    getTranslations("affiliateOffers"),
  ]);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="grid gap-6">
        <Card title={t("canPromote")}>
          {offerRows.length === 0 ? (
            <EmptyState title={t("noOffers")}>{t("noOffersHint")}</EmptyState>
          ) : (
            <Table head={[t("offer"), t("network"), t("payoutPerGoal"), t("caps"), t("status")]}>
              {offerRows.map(({ offer, networkName }) => (
                <tr key={offer.id}>
                  <Cell>{offer.name}</Cell>
                  <Cell>{networkName}</Cell>
                  <Cell><PayoutPerGoal payouts={payouts.get(offer.id) ?? []} currency={offer.currency} /></Cell>
                  <Cell>
                    {caps.has(offer.id) || blocks.has(offer.id) ? (
                      <>
                        <AffiliateCapList caps={caps.get(offer.id) ?? []} currency={offer.currency} />
                        <AffiliateBlockList blocks={blocks.get(offer.id) ?? []} />
                      </>
                    ) : (
                      <span className="text-slate-500">{t("noCaps")}</span>
                    )}
                  </Cell>
                  <Cell><StatusBadge status={offer.status} /></Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("networks")}>
          <Table head={[t("network"), t("standing"), ""]}>
            {memberships.map(({ membership, networkName }) => (
              <tr key={membership.id}>
                <Cell>{networkName}</Cell>
                <Cell><StatusBadge status={membership.status} /></Cell>
                <Cell>{null}</Cell>
              </tr>
            ))}
            {joinable.map((network) => (
              <tr key={network.id}>
                <Cell>{network.name}</Cell>
                <Cell><span className="text-slate-500">{t("notMember")}</span></Cell>
                <Cell><ActionButton action={requestMembershipAction} input={{ networkId: network.id }} label={t("requestToJoin")} /></Cell>
              </tr>
            ))}
          </Table>
        </Card>
      </div>
    </>
  );
}
