CREATE TYPE "public"."locale" AS ENUM('en', 'ru', 'ko', 'zh', 'ja');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locale" "locale";