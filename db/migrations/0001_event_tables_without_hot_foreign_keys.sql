ALTER TABLE "clicks" DROP CONSTRAINT "clicks_tracking_link_id_tracking_links_id_fk";
--> statement-breakpoint
ALTER TABLE "clicks" DROP CONSTRAINT "clicks_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "clicks" DROP CONSTRAINT "clicks_offer_id_offers_id_fk";
--> statement-breakpoint
ALTER TABLE "clicks" DROP CONSTRAINT "clicks_affiliate_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "clicks" DROP CONSTRAINT "clicks_network_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_offer_id_offers_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_campaign_id_campaigns_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_network_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_merchant_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_affiliate_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "incoming_postback_log" DROP CONSTRAINT "incoming_postback_log_endpoint_id_incoming_endpoints_id_fk";
--> statement-breakpoint
ALTER TABLE "incoming_postback_log" DROP CONSTRAINT "incoming_postback_log_network_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "incoming_postback_log" DROP CONSTRAINT "incoming_postback_log_merchant_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_postback_id_outgoing_postbacks_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_owner_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_recipient_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "delivery_attempts" DROP CONSTRAINT "delivery_attempts_postback_id_outgoing_postbacks_id_fk";
--> statement-breakpoint
ALTER TABLE "delivery_attempts" DROP CONSTRAINT "delivery_attempts_owner_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "delivery_attempts" DROP CONSTRAINT "delivery_attempts_recipient_org_id_organizations_id_fk";
