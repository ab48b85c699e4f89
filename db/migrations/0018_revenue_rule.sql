ALTER TABLE "conversions" ADD COLUMN "revenue_rule_id" text;--> statement-breakpoint
-- Before, one rule id stood for both amounts: give it to the amounts its rule set.
UPDATE "conversions" c SET "revenue_rule_id" = c."payout_rule_id" FROM "payout_rules" r WHERE r."id" = c."payout_rule_id" AND r."revenue" IS NOT NULL;--> statement-breakpoint
UPDATE "conversions" c SET "payout_rule_id" = NULL FROM "payout_rules" r WHERE r."id" = c."payout_rule_id" AND r."payout" IS NULL;
