ALTER TYPE "public"."rule_kind" ADD VALUE 'blocked_subs';--> statement-breakpoint
ALTER TABLE "conversion_rules" ADD COLUMN "affiliate_id" text;--> statement-breakpoint
ALTER TABLE "conversion_rules" ADD COLUMN "param" text;--> statement-breakpoint
ALTER TABLE "conversion_rules" ADD COLUMN "blocked_values" text[];--> statement-breakpoint
ALTER TABLE "conversion_rules" ADD CONSTRAINT "conversion_rules_affiliate_id_organizations_id_fk" FOREIGN KEY ("affiliate_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;