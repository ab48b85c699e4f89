CREATE TABLE "exchange_rates" (
	"id" text PRIMARY KEY NOT NULL,
	"network_id" text NOT NULL,
	"from_currency" text NOT NULL,
	"to_currency" text NOT NULL,
	"rate" numeric(20, 10) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "exchange_rates" ADD CONSTRAINT "exchange_rates_network_id_organizations_id_fk" FOREIGN KEY ("network_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_rates_pair" ON "exchange_rates" USING btree ("network_id","from_currency","to_currency");