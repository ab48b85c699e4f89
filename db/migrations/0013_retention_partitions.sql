ALTER TABLE "conversions" ADD COLUMN "click_user_agent" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "click_source" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "aff_click_id" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub1" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub2" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub3" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub4" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub5" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub6" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub7" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub8" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub9" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "sub10" text;--> statement-breakpoint
-- What existing conversions need of their clicks, copied before retention may drop the clicks.
UPDATE "conversions" SET
  "click_user_agent" = k."user_agent", "click_source" = k."source", "aff_click_id" = k."aff_click_id",
  "sub1" = k."sub1", "sub2" = k."sub2", "sub3" = k."sub3", "sub4" = k."sub4", "sub5" = k."sub5",
  "sub6" = k."sub6", "sub7" = k."sub7", "sub8" = k."sub8", "sub9" = k."sub9", "sub10" = k."sub10",
  "click_ip" = coalesce("conversions"."click_ip", k."ip"), "click_country" = coalesce("conversions"."click_country", k."country"),
  "clicked_at" = coalesce("conversions"."clicked_at", k."created_at")
FROM "clicks" k WHERE k."id" = "conversions"."click_id";--> statement-breakpoint
CREATE INDEX "conversions_aff_click_id_idx" ON "conversions" USING btree ("aff_click_id") WHERE "conversions"."aff_click_id" is not null;--> statement-breakpoint
DROP INDEX "clicks_aff_click_id_idx";--> statement-breakpoint
-- Clicks, the incoming log and delivery attempts become partitioned by week of created_at, with no
-- copy of their rows: each table is renamed `<table>_legacy` (its indexes and key too), a
-- partitioned table takes its name, and the old table is attached as the partition of everything
-- up to the end of this week (its indexes are attached, not built again; only the key, which now
-- holds created_at, is). Their triggers move to the new tables. lib/platform/retention.ts makes
-- the weeks after and drops the expired ones.
CREATE FUNCTION "postline_retire_table"(t text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
  legacy text := t || '_legacy';
BEGIN
  EXECUTE format('ALTER TABLE %I RENAME TO %I', t, legacy);
  FOR r IN SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = legacy LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.indexname, r.indexname || '_legacy');
  END LOOP;
  FOR r IN SELECT tgname FROM pg_trigger WHERE tgrelid = legacy::regclass AND NOT tgisinternal LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', r.tgname, legacy);
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = legacy::regclass AND attname = 'seq' AND attidentity <> '') THEN
    EXECUTE format('ALTER TABLE %I ALTER COLUMN "seq" DROP IDENTITY', legacy);
  END IF;
END
$$;--> statement-breakpoint
CREATE FUNCTION "postline_attach_legacy"(t text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  legacy text := t || '_legacy';
  top bigint;
  upto timestamptz;
  week timestamptz;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = legacy::regclass AND attname = 'seq') THEN
    EXECUTE format('SELECT max("seq") FROM %I', legacy) INTO top;
    IF top IS NOT NULL THEN PERFORM setval(pg_get_serial_sequence(t, 'seq'), top); END IF;
  END IF;
  EXECUTE format('SELECT max("created_at") FROM %I', legacy) INTO upto;
  upto := (date_trunc('week', greatest(now(), coalesce(upto, now())) AT TIME ZONE 'UTC') + interval '1 week') AT TIME ZONE 'UTC';
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', legacy, t || '_pkey_legacy');
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY ("id", "created_at")', legacy, legacy || '_pkey');
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%L)', t, legacy, upto);
  -- Two weeks ahead, so that writes never wait for the first scheduled run.
  FOR i IN 0..1 LOOP
    week := upto + i * interval '1 week';
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', t || '_w' || to_char(week AT TIME ZONE 'UTC', 'YYYYMMDD'), t, week, week + interval '1 week');
  END LOOP;
END
$$;--> statement-breakpoint
SELECT "postline_retire_table"('clicks');--> statement-breakpoint
SELECT "postline_retire_table"('incoming_postback_log');--> statement-breakpoint
SELECT "postline_retire_table"('delivery_attempts');--> statement-breakpoint
CREATE TABLE "clicks" (
	"id" text NOT NULL,
	"tracking_link_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"network_id" text NOT NULL,
	"sub1" text,
	"sub2" text,
	"sub3" text,
	"sub4" text,
	"sub5" text,
	"sub6" text,
	"sub7" text,
	"sub8" text,
	"sub9" text,
	"sub10" text,
	"aff_click_id" text,
	"source" text,
	"ip" text,
	"user_agent" text,
	"referrer" text,
	"country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clicks_pkey" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");--> statement-breakpoint
CREATE INDEX "clicks_affiliate_time_idx" ON "clicks" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "clicks_network_time_idx" ON "clicks" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE TRIGGER "clicks_stats_stale" AFTER INSERT ON "clicks" FOR EACH ROW WHEN (NEW."created_at" < now() - interval '1 minute') EXECUTE FUNCTION "postline_stats_stale"('clicks');--> statement-breakpoint
CREATE TABLE "incoming_postback_log" (
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "incoming_postback_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"endpoint_id" text,
	"network_id" text,
	"merchant_id" text,
	"method" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_ip" text,
	"result" "incoming_result" NOT NULL,
	"http_status" integer NOT NULL,
	"error_code" text,
	"message" text,
	"conversion_id" text,
	"click_id" text,
	"transaction_id" text,
	"status" "conversion_status",
	"original_status" text,
	"duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incoming_postback_log_pkey" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");--> statement-breakpoint
CREATE INDEX "incoming_log_network_seq_idx" ON "incoming_postback_log" USING btree ("network_id","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_merchant_seq_idx" ON "incoming_postback_log" USING btree ("merchant_id","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_created_seq_idx" ON "incoming_postback_log" USING btree ("created_at","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_click_idx" ON "incoming_postback_log" USING btree ("click_id") WHERE "incoming_postback_log"."click_id" is not null;--> statement-breakpoint
CREATE INDEX "incoming_log_transaction_idx" ON "incoming_postback_log" USING btree ("transaction_id") WHERE "incoming_postback_log"."transaction_id" is not null;--> statement-breakpoint
CREATE INDEX "incoming_log_conversion_idx" ON "incoming_postback_log" USING btree ("conversion_id") WHERE "incoming_postback_log"."conversion_id" is not null;--> statement-breakpoint
CREATE TRIGGER "incoming_postback_log_live_log" AFTER INSERT ON "incoming_postback_log" REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "postline_notify_live_log"('incoming');--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" text NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "delivery_attempts_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" text,
	"postback_id" text,
	"owner_org_id" text NOT NULL,
	"recipient_org_id" text,
	"attempt_number" integer NOT NULL,
	"trigger" "attempt_trigger" NOT NULL,
	"method" "http_method" NOT NULL,
	"url" text NOT NULL,
	"request_headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_body" text,
	"response_status" integer,
	"response_headers" jsonb,
	"response_body" text,
	"duration_ms" integer NOT NULL,
	"ok" boolean NOT NULL,
	"error_class" "attempt_error_class",
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY("id","created_at")
) PARTITION BY RANGE ("created_at");--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delivery_attempts_owner_seq_idx" ON "delivery_attempts" USING btree ("owner_org_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_recipient_seq_idx" ON "delivery_attempts" USING btree ("recipient_org_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_postback_seq_idx" ON "delivery_attempts" USING btree ("postback_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_created_idx" ON "delivery_attempts" USING btree ("created_at");--> statement-breakpoint
SELECT "postline_attach_legacy"('clicks');--> statement-breakpoint
SELECT "postline_attach_legacy"('incoming_postback_log');--> statement-breakpoint
SELECT "postline_attach_legacy"('delivery_attempts');--> statement-breakpoint
DROP FUNCTION "postline_retire_table"(text);--> statement-breakpoint
DROP FUNCTION "postline_attach_legacy"(text);
