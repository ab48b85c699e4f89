CREATE TABLE "stats_clicks_open" (
	"org_id" text NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"day" date NOT NULL,
	"offer_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"clicks" integer NOT NULL,
	CONSTRAINT "stats_clicks_open_pkey" PRIMARY KEY("org_id","until","day","offer_id","affiliate_id")
);
--> statement-breakpoint
ALTER TABLE "stats_rollup_progress" ADD COLUMN "clicks_open_until" timestamp with time zone;