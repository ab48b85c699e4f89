CREATE TABLE "stats_clicks_daily" (
	"org_id" text NOT NULL,
	"day" date NOT NULL,
	"offer_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"clicks" integer NOT NULL,
	CONSTRAINT "stats_clicks_daily_pkey" PRIMARY KEY("org_id","day","offer_id","affiliate_id")
);
--> statement-breakpoint
CREATE TABLE "stats_conversions_daily" (
	"org_id" text NOT NULL,
	"day" date NOT NULL,
	"offer_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"goal_key" text NOT NULL,
	"status" text NOT NULL,
	"conversions" integer NOT NULL,
	"payout" numeric NOT NULL,
	"revenue" numeric NOT NULL,
	CONSTRAINT "stats_conversions_daily_pkey" PRIMARY KEY("org_id","day","offer_id","affiliate_id","goal_key","status")
);
--> statement-breakpoint
CREATE TABLE "stats_rollup_progress" (
	"org_id" text PRIMARY KEY NOT NULL,
	"time_zone" text NOT NULL,
	"rolled_through" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_stale" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stats_stale_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"network_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Stats rollups (lib/reports/rollups.ts): a row written, changed or removed when its day may
-- already be rolled up leaves a marker, and pages count that day from raw rows until the job
-- refreshes it. A day is rolled ten minutes after it ends, so a row stamped within the last minute
-- needs none: the WHEN clauses keep a new click or conversion (stamped now()) free of any work.
CREATE FUNCTION "postline_stats_stale"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO "stats_stale" ("kind", "network_id", "affiliate_id", "at") VALUES (TG_ARGV[0], NEW."network_id", NEW."affiliate_id", NEW."created_at");
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD."network_id", OLD."affiliate_id", OLD."created_at") IS DISTINCT FROM (NEW."network_id", NEW."affiliate_id", NEW."created_at")) THEN
    INSERT INTO "stats_stale" ("kind", "network_id", "affiliate_id", "at") VALUES (TG_ARGV[0], OLD."network_id", OLD."affiliate_id", OLD."created_at");
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "clicks_stats_stale" AFTER INSERT ON "clicks" FOR EACH ROW WHEN (NEW."created_at" < now() - interval '1 minute') EXECUTE FUNCTION "postline_stats_stale"('clicks');--> statement-breakpoint
CREATE TRIGGER "conversions_stats_stale_insert" AFTER INSERT ON "conversions" FOR EACH ROW WHEN (NEW."created_at" < now() - interval '1 minute') EXECUTE FUNCTION "postline_stats_stale"('conversions');--> statement-breakpoint
CREATE TRIGGER "conversions_stats_stale_update" AFTER UPDATE ON "conversions" FOR EACH ROW
  WHEN (least(OLD."created_at", NEW."created_at") < now() - interval '1 minute'
    AND (OLD."status", OLD."payout", OLD."revenue", OLD."goal_key", OLD."offer_id", OLD."affiliate_id", OLD."network_id", OLD."created_at")
      IS DISTINCT FROM (NEW."status", NEW."payout", NEW."revenue", NEW."goal_key", NEW."offer_id", NEW."affiliate_id", NEW."network_id", NEW."created_at"))
  EXECUTE FUNCTION "postline_stats_stale"('conversions');--> statement-breakpoint
CREATE TRIGGER "conversions_stats_stale_delete" AFTER DELETE ON "conversions" FOR EACH ROW WHEN (OLD."created_at" < now() - interval '1 minute') EXECUTE FUNCTION "postline_stats_stale"('conversions');
