ALTER TABLE "conversions" ADD COLUMN "revenue_rule_id" text;--> statement-breakpoint
-- Before, one rule id stood for both amounts: give it to the amounts its rule set (one pass; SET reads the old row).
UPDATE "conversions" c SET
  "revenue_rule_id" = CASE WHEN r."revenue" IS NOT NULL THEN c."payout_rule_id" END,
  "payout_rule_id" = CASE WHEN r."payout" IS NOT NULL THEN c."payout_rule_id" END
FROM "payout_rules" r WHERE r."id" = c."payout_rule_id";
