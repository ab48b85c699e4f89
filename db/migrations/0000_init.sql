CREATE TYPE "public"."member_role" AS ENUM('owner', 'member', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."membership_status" AS ENUM('pending', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."org_kind" AS ENUM('network', 'merchant', 'affiliate', 'platform');--> statement-breakpoint
CREATE TYPE "public"."offer_status" AS ENUM('active', 'paused');--> statement-breakpoint
CREATE TYPE "public"."conversion_event_kind" AS ENUM('created', 'status_changed', 'reversal');--> statement-breakpoint
CREATE TYPE "public"."conversion_event_source" AS ENUM('incoming_postback', 'lead_api', 'manual');--> statement-breakpoint
CREATE TYPE "public"."conversion_status" AS ENUM('lead', 'approved', 'rejected', 'hold');--> statement-breakpoint
CREATE TYPE "public"."incoming_result" AS ENUM('accepted', 'duplicate', 'ignored', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."attempt_error_class" AS ENUM('timeout', 'dns', 'refused', 'blocked', 'non_2xx', 'network');--> statement-breakpoint
CREATE TYPE "public"."attempt_trigger" AS ENUM('initial', 'retry', 'replay', 'test');--> statement-breakpoint
CREATE TYPE "public"."body_format" AS ENUM('none', 'form', 'json');--> statement-breakpoint
CREATE TYPE "public"."delivery_state" AS ENUM('pending', 'delivered', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."http_method" AS ENUM('GET', 'POST');--> statement-breakpoint
CREATE TYPE "public"."postback_scope" AS ENUM('all', 'offer', 'campaign', 'merchant');--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"status" "membership_status" DEFAULT 'pending' NOT NULL,
	"note" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "org_kind" NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" "member_role" DEFAULT 'member' NOT NULL,
	"session_version" integer DEFAULT 0 NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"affiliate_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"landing_url" text NOT NULL,
	"default_payout" numeric(14, 4) DEFAULT '0' NOT NULL,
	"default_revenue" numeric(14, 4) DEFAULT '0' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"allow_multiple_conversions" boolean DEFAULT false NOT NULL,
	"click_lifetime_hours" integer DEFAULT 720 NOT NULL,
	"status" "offer_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tracking_links" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"campaign_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clicks" (
	"id" text PRIMARY KEY NOT NULL,
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
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversion_events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "conversion_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conversion_id" text NOT NULL,
	"kind" "conversion_event_kind" NOT NULL,
	"from_status" "conversion_status",
	"to_status" "conversion_status" NOT NULL,
	"source" "conversion_event_source" NOT NULL,
	"original_status" text,
	"payout" numeric(14, 4),
	"revenue" numeric(14, 4),
	"incoming_log_id" text,
	"actor_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" text PRIMARY KEY NOT NULL,
	"click_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"campaign_id" text,
	"network_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"affiliate_id" text NOT NULL,
	"transaction_id" text,
	"conversion_key" text NOT NULL,
	"lead_id" text,
	"status" "conversion_status" NOT NULL,
	"original_status" text,
	"payout" numeric(14, 4) DEFAULT '0' NOT NULL,
	"revenue" numeric(14, 4) DEFAULT '0' NOT NULL,
	"sale_amount" numeric(14, 4),
	"currency" text DEFAULT 'USD' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incoming_endpoints" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"merchant_id" text NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"secret_hint" text NOT NULL,
	"ip_allow_list" text[] DEFAULT '{}' NOT NULL,
	"default_status" "conversion_status" DEFAULT 'approved' NOT NULL,
	"status_map" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"signing_secret" text,
	"rate_limit_per_minute" integer DEFAULT 600 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret_rotated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incoming_postback_log" (
	"id" text PRIMARY KEY NOT NULL,
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
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "deliveries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"postback_id" text NOT NULL,
	"conversion_event_id" text NOT NULL,
	"conversion_id" text NOT NULL,
	"owner_org_id" text NOT NULL,
	"recipient_org_id" text,
	"destination_host" text NOT NULL,
	"state" "delivery_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"replays" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"last_status_code" integer,
	"last_error_class" "attempt_error_class",
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delivery_attempts" (
	"id" text PRIMARY KEY NOT NULL,
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
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outgoing_postbacks" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_org_id" text NOT NULL,
	"recipient_org_id" text,
	"name" text NOT NULL,
	"scope" "postback_scope" DEFAULT 'all' NOT NULL,
	"offer_id" text,
	"campaign_id" text,
	"merchant_id" text,
	"statuses" "conversion_status"[] NOT NULL,
	"method" "http_method" DEFAULT 'GET' NOT NULL,
	"body_format" "body_format" DEFAULT 'none' NOT NULL,
	"url_template" text NOT NULL,
	"body_template" text,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"signing_secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"paused_at" timestamp with time zone,
	"paused_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_buckets" (
	"key" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_limit_buckets_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_links" ADD CONSTRAINT "tracking_links_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_tracking_link_id_tracking_links_id_fk" FOREIGN KEY ("tracking_link_id") REFERENCES "public"."tracking_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clicks" ADD CONSTRAINT "clicks_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_events" ADD CONSTRAINT "conversion_events_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversion_events" ADD CONSTRAINT "conversion_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_click_id_clicks_id_fk" FOREIGN KEY ("click_id") REFERENCES "public"."clicks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_endpoints" ADD CONSTRAINT "incoming_endpoints_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_endpoints" ADD CONSTRAINT "incoming_endpoints_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_postback_log" ADD CONSTRAINT "incoming_postback_log_endpoint_id_incoming_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."incoming_endpoints"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_postback_log" ADD CONSTRAINT "incoming_postback_log_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_postback_log" ADD CONSTRAINT "incoming_postback_log_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_postback_id_outgoing_postbacks_id_fk" FOREIGN KEY ("postback_id") REFERENCES "public"."outgoing_postbacks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_conversion_event_id_conversion_events_id_fk" FOREIGN KEY ("conversion_event_id") REFERENCES "public"."conversion_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_conversion_id_conversions_id_fk" FOREIGN KEY ("conversion_id") REFERENCES "public"."conversions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_recipient_org_id_organizations_id_fk" FOREIGN KEY ("recipient_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_postback_id_outgoing_postbacks_id_fk" FOREIGN KEY ("postback_id") REFERENCES "public"."outgoing_postbacks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_recipient_org_id_organizations_id_fk" FOREIGN KEY ("recipient_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD CONSTRAINT "outgoing_postbacks_owner_org_id_organizations_id_fk" FOREIGN KEY ("owner_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD CONSTRAINT "outgoing_postbacks_recipient_org_id_organizations_id_fk" FOREIGN KEY ("recipient_org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD CONSTRAINT "outgoing_postbacks_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD CONSTRAINT "outgoing_postbacks_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outgoing_postbacks" ADD CONSTRAINT "outgoing_postbacks_merchant_id_organizations_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_org_idx" ON "api_keys" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_pair_key" ON "memberships" USING btree ("network_id","affiliate_id");--> statement-breakpoint
CREATE INDEX "memberships_affiliate_idx" ON "memberships" USING btree ("affiliate_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_org_idx" ON "users" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "campaigns_affiliate_idx" ON "campaigns" USING btree ("affiliate_id");--> statement-breakpoint
CREATE INDEX "campaigns_offer_idx" ON "campaigns" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "offers_network_idx" ON "offers" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "offers_merchant_idx" ON "offers" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_links_code_key" ON "tracking_links" USING btree ("code");--> statement-breakpoint
CREATE INDEX "tracking_links_campaign_idx" ON "tracking_links" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "clicks_affiliate_time_idx" ON "clicks" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "clicks_network_time_idx" ON "clicks" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "clicks_offer_time_idx" ON "clicks" USING btree ("offer_id","created_at");--> statement-breakpoint
CREATE INDEX "clicks_created_idx" ON "clicks" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "conversion_events_status_key" ON "conversion_events" USING btree ("conversion_id","to_status");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_merchant_transaction_key" ON "conversions" USING btree ("merchant_id","transaction_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_offer_key" ON "conversions" USING btree ("offer_id","conversion_key");--> statement-breakpoint
CREATE INDEX "conversions_click_idx" ON "conversions" USING btree ("click_id");--> statement-breakpoint
CREATE INDEX "conversions_network_time_idx" ON "conversions" USING btree ("network_id","created_at");--> statement-breakpoint
CREATE INDEX "conversions_affiliate_time_idx" ON "conversions" USING btree ("affiliate_id","created_at");--> statement-breakpoint
CREATE INDEX "conversions_merchant_time_idx" ON "conversions" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "incoming_endpoints_network_idx" ON "incoming_endpoints" USING btree ("network_id");--> statement-breakpoint
CREATE INDEX "incoming_endpoints_merchant_idx" ON "incoming_endpoints" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "incoming_log_network_seq_idx" ON "incoming_postback_log" USING btree ("network_id","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_merchant_seq_idx" ON "incoming_postback_log" USING btree ("merchant_id","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_endpoint_seq_idx" ON "incoming_postback_log" USING btree ("endpoint_id","seq");--> statement-breakpoint
CREATE INDEX "incoming_log_click_idx" ON "incoming_postback_log" USING btree ("click_id");--> statement-breakpoint
CREATE INDEX "incoming_log_transaction_idx" ON "incoming_postback_log" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "incoming_log_created_idx" ON "incoming_postback_log" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_postback_event_key" ON "deliveries" USING btree ("postback_id","conversion_event_id");--> statement-breakpoint
CREATE INDEX "deliveries_state_next_idx" ON "deliveries" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "deliveries_owner_seq_idx" ON "deliveries" USING btree ("owner_org_id","seq");--> statement-breakpoint
CREATE INDEX "deliveries_recipient_seq_idx" ON "deliveries" USING btree ("recipient_org_id","seq");--> statement-breakpoint
CREATE INDEX "deliveries_conversion_idx" ON "deliveries" USING btree ("conversion_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_owner_seq_idx" ON "delivery_attempts" USING btree ("owner_org_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_recipient_seq_idx" ON "delivery_attempts" USING btree ("recipient_org_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_postback_seq_idx" ON "delivery_attempts" USING btree ("postback_id","seq");--> statement-breakpoint
CREATE INDEX "delivery_attempts_created_idx" ON "delivery_attempts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outgoing_postbacks_owner_idx" ON "outgoing_postbacks" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "outgoing_postbacks_offer_idx" ON "outgoing_postbacks" USING btree ("offer_id");--> statement-breakpoint
CREATE INDEX "outgoing_postbacks_campaign_idx" ON "outgoing_postbacks" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "outgoing_postbacks_merchant_idx" ON "outgoing_postbacks" USING btree ("merchant_id");