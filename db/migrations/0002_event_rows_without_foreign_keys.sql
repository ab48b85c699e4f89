ALTER TABLE "conversion_events" DROP CONSTRAINT "conversion_events_conversion_id_conversions_id_fk";
--> statement-breakpoint
ALTER TABLE "conversions" DROP CONSTRAINT "conversions_click_id_clicks_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_conversion_event_id_conversion_events_id_fk";
--> statement-breakpoint
ALTER TABLE "deliveries" DROP CONSTRAINT "deliveries_conversion_id_conversions_id_fk";
