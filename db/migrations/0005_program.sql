CREATE TYPE "public"."amount_kind" AS ENUM('flat', 'percent');--> statement-breakpoint
CREATE TYPE "public"."cap_action" AS ENUM('reject', 'hold', 'zero_payout');--> statement-breakpoint
CREATE TYPE "public"."cap_metric" AS ENUM('count', 'payout');--> statement-breakpoint
CREATE TYPE "public"."cap_period" AS ENUM('day', 'week', 'month', 'total');--> statement-breakpoint
CREATE TYPE "public"."rule_action" AS ENUM('reject', 'hold', 'flag');--> statement-breakpoint
CREATE TYPE "public"."rule_kind" AS ENUM('min_click_seconds', 'max_click_seconds', 'ip_limit', 'countries');--> statement-breakpoint
ALTER TYPE "public"."conversion_event_source" ADD VALUE 'hold_expiry';--> statement-breakpoint
ALTER TYPE "public"."conversion_event_source" ADD VALUE 'rule';--> statement-breakpoint
ALTER TYPE "public"."conversion_event_source" ADD VALUE 'cap';--> statement-breakpoint
CREATE TABLE "cap_counters" (
	"cap_id" text NOT NULL,
	"period_start" text NOT NULL,
	"used" numeric(14, 4) DEFAULT '0' NOT NULL,
	CONSTRAINT "cap_counters_cap_id_period_start_pk" PRIMARY KEY("cap_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "caps" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"goal_key" text,
	"affiliate_id" text,
	"period" "cap_period" NOT NULL,
	"metric" "cap_metric" DEFAULT 'count' NOT NULL,
	"cap_limit" numeric(14, 4) NOT NULL,
	"action" "cap_action" DEFAULT 'reject' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"kind" "rule_kind" NOT NULL,
	"action" "rule_action" DEFAULT 'flag' NOT NULL,
	"threshold" integer,
	"window_minutes" integer,
	"countries" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_goals" (
	"id" text PRIMARY KEY NOT NULL,
	"offer_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"payout_kind" "amount_kind" DEFAULT 'flat' NOT NULL,
	"payout" numeric(14, 4) DEFAULT '0' NOT NULL,
	"revenue_kind" "amount_kind" DEFAULT 'flat' NOT NULL,
	"revenue" numeric(14, 4) DEFAULT '0' NOT NULL,
	"multiple" boolean DEFAULT false NOT NULL,
	"hold_hours" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payout_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"goal_key" text,
	"payout_kind" "amount_kind" DEFAULT 'flat' NOT NULL,
	"payout" numeric(14, 4),
	"revenue_kind" "amount_kind" DEFAULT 'flat' NOT NULL,
	"revenue" numeric(14, 4),
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "time_zone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "payout_kind" "amount_kind" DEFAULT 'flat' NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "revenue_kind" "amount_kind" DEFAULT 'flat' NOT NULL;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "hold_hours" integer;--> statement-breakpoint
ALTER TABLE "offers" ADD COLUMN "cap_fallback_url" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "goal_key" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "payout_rule_id" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "click_ip" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "click_country" text;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "clicked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "hold_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "decisions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "flagged" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "incoming_endpoints" ADD COLUMN "amounts_from_postback" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD COLUMN "goals" text[];--> statement-breakpoint
ALTER TABLE "cap_counters" ADD CONSTRAINT "cap_counters_cap_id_caps_id_fk" FOREIGN KEY ("cap_id") REFERENCES "public"."caps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caps" ADD CONSTRAINT "caps_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caps" ADD CONSTRAINT "caps_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_rules" ADD CONSTRAINT "conversion_rules_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_goals" ADD CONSTRAINT "offer_goals_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_rules" ADD CONSTRAINT "payout_rules_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_rules" ADD CONSTRAINT "payout_rules_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "caps_offer_idx" ON "caps" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "conversion_rules_offer_idx" ON "conversion_rules" USING btree ("offer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "offer_goals_offer_key" ON "offer_goals" USING btree ("offer_id","key");--> statement-breakpoint
CREATE INDEX "payout_rules_offer_affiliate_idx" ON "payout_rules" USING btree ("offer_id","affiliate_id");--> statement-breakpoint
CREATE INDEX "conversions_offer_ip_time_idx" ON "conversions" USING btree ("offer_id","click_ip","created_at");--> statement-breakpoint
CREATE INDEX "conversions_hold_idx" ON "conversions" USING btree ("hold_until") WHERE "conversions"."status" = 'hold';