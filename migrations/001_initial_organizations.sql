-- Migration 001: Initial Organizations
-- Purpose: Load pgcrypto and create the organizations table (one row per installation)
-- Created: 2025-01-06

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS organizations (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text        NOT NULL,
    slug            text        NOT NULL,
    primary_domain  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

COMMENT ON TABLE organizations IS 'The organization served by this installation (single organization per installation).';
COMMENT ON COLUMN organizations.slug IS 'URL-safe short name, used in portal links.';
COMMENT ON COLUMN organizations.primary_domain IS 'Main email domain of the organization, e.g. example.org.';
