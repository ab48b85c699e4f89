import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { PayoutPerGoal } from "@/components/affiliate-offer-terms";
import { CopyButton } from "@/components/copy-button";
import { StatusBadge } from "@/components/status-badge";
import { Card, Cell, EmptyState, PageHeader, Stat, Table } from "@/components/ui/page";
import { getDb } from "@/lib/platform/database";
import { requirePermission } from "@/lib/access/auth";
import { listTrackingLinks } from "@/lib/tracking/campaigns";
import { listAffiliateMemberships } from "@/lib/access/memberships";
import { listAffiliateOffers } from "@/lib/tracking/offers";
import { listOwnPostbacks } from "@/lib/outgoing/postbacks";
import { affiliatePayouts } from "@/lib/program/manage";
import { requestOrigin } from "@/lib/platform/request-url";

export default async function AffiliateHome() {
  const user = await requirePermission("offers:read");
  const db = getDb();
  const [networks, offerRows, links, postbacks, origin] = await Promise.all([
    listAffiliateMemberships(db, user.orgId),
    listAffiliateOffers(db, user.orgId),
    listTrackingLinks(db, user.orgId),
    listOwnPostbacks(db, user.orgId),
    requestOrigin(),
  ]);
  const [payouts, t] = await Promise.all([affiliatePayouts(db, user.orgId, offerRows.map((r) => r.offer)), getTranslations("affiliateHome")]);
  return (
    <>
      <PageHeader title={t("welcome", { name: user.name.split(" ")[0] })} description={t("description")} />
      <div className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t("networks")} value={networks.filter((n) => n.membership.status === "approved").length} hint={t("networksHint")} />
        <Stat label={t("offers")} value={offerRows.length} hint={t("offersHint")} />
        <Stat label={t("trackingLinks")} value={links.length} />
        <Stat label={t("postbacks")} value={postbacks.length} hint={t("postbacksHint")} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={t("trackingLinks")}>
          {links.length === 0 ? (
            <EmptyState title={t("noLinks")}>{t("noLinksHint")}</EmptyState>
          ) : (
            <ul className="space-y-3">
              {links.map(({ link, campaignName, offerName }) => {
                const url = `${origin}/c/${link.code}`;
                return (
                  <li key={link.id} className="rounded-lg border border-slate-100 p-3">
                    <p className="text-sm font-medium">
                      <Link href={`/affiliate/campaigns/${link.campaignId}`} className="hover:underline">
                        {campaignName}
                      </Link>{" "}
                      <span className="text-slate-500">· {offerName}</span>
                    </p>
                    <div className="mt-2 flex items-center gap-2">
                      <code className="min-w-0 flex-1 truncate rounded bg-slate-50 px-2 py-1 text-xs">{url}</code>
                      <CopyButton value={url} />
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title={t("networks")}>
          {networks.length === 0 ? (
            <EmptyState title={t("noNetworks")}>{t("noNetworksHint")}</EmptyState>
          ) : (
            <Table head={[t("network"), t("status")]}>
              {networks.map(({ membership, networkName }) => (
                <tr key={membership.id}>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    <StatusBadge status={membership.status} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("offers")}>
          {offerRows.length === 0 ? (
            <EmptyState title={t("noOffers")}>{t("noOffersHint")}</EmptyState>
          ) : (
            <Table head={[t("offer"), t("network"), t("payout")]}>
              {offerRows.map(({ offer, networkName }) => (
                <tr key={offer.id}>
                  <Cell>{offer.name}</Cell>
                  <Cell>{networkName}</Cell>
                  <Cell>
                    <PayoutPerGoal payouts={payouts.get(offer.id) ?? []} currency={offer.currency} />
                  </Cell>
                </tr>
              ))}
            </Table>
          )}
        </Card>
        <Card title={t("postbacksToTracker")}>
          {postbacks.length === 0 ? (
            <EmptyState title={t("noPostbacks")}>{t("noPostbacksHint")}</EmptyState>
          ) : (
            <ul className="space-y-3">
              {postbacks.map((pb) => (
                <li key={pb.id} className="text-sm">
                  <p className="flex items-center gap-2 font-medium">
                    {pb.name} <StatusBadge status={pb.enabled ? "enabled" : "paused"} />
                  </p>
                  <code className="mt-1 block truncate text-xs text-slate-500">
                    {pb.method} {pb.urlTemplate}
                  </code>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
