CREATE INDEX "clicks_aff_click_id_idx" ON "clicks" USING btree ("aff_click_id") WHERE "clicks"."aff_click_id" is not null;--> statement-breakpoint
CREATE INDEX "conversions_click_idx" ON "conversions" USING btree ("click_id");--> statement-breakpoint
CREATE INDEX "conversions_transaction_idx" ON "conversions" USING btree ("transaction_id") WHERE "conversions"."transaction_id" is not null;--> statement-breakpoint
CREATE INDEX "incoming_log_click_idx" ON "incoming_postback_log" USING btree ("click_id") WHERE "incoming_postback_log"."click_id" is not null;--> statement-breakpoint
CREATE INDEX "deliveries_conversion_idx" ON "deliveries" USING btree ("conversion_id");