DROP INDEX "incoming_log_created_idx";--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "network_id" text;--> statement-breakpoint
UPDATE "deliveries" SET "network_id" = "conversions"."network_id" FROM "conversions" WHERE "conversions"."id" = "deliveries"."conversion_id";--> statement-breakpoint
ALTER TABLE "deliveries" ALTER COLUMN "network_id" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "incoming_log_created_seq_idx" ON "incoming_postback_log" USING btree ("created_at","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_transaction_idx" ON "incoming_postback_log" USING btree ("transaction_id") WHERE "incoming_postback_log"."transaction_id" is not null;--> statement-breakpoint
CREATE INDEX "incoming_log_conversion_idx" ON "incoming_postback_log" USING btree ("conversion_id") WHERE "incoming_postback_log"."conversion_id" is not null;--> statement-breakpoint
CREATE INDEX "deliveries_network_seq_idx" ON "deliveries" USING btree ("network_id","seq");--> statement-breakpoint
CREATE INDEX "deliveries_updated_seq_idx" ON "deliveries" USING btree ("updated_at","seq");--> statement-breakpoint
-- The live logs' wake-up (lib/reports/live-log.ts): one notification per statement that wrote a
-- row, never per row, and none for a statement that wrote nothing; PostgreSQL folds the same
-- notification sent twice in one transaction into one.
CREATE FUNCTION "postline_notify_live_log"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "written") THEN
    PERFORM pg_notify('postline_live_log', TG_ARGV[0]);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "incoming_postback_log_live_log" AFTER INSERT ON "incoming_postback_log" REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "postline_notify_live_log"('incoming');--> statement-breakpoint
CREATE TRIGGER "deliveries_live_log_insert" AFTER INSERT ON "deliveries" REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "postline_notify_live_log"('outgoing');--> statement-breakpoint
CREATE TRIGGER "deliveries_live_log_update" AFTER UPDATE ON "deliveries" REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "postline_notify_live_log"('outgoing');
