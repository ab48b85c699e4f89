"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";

/** The interactive reference of /api/v1 (Scalar), read from the served OpenAPI document. */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        // Everything from this origin: the content security policy allows no other font or script host.
        withDefaultFonts: false,
        hideClientButton: true,
        telemetry: false,
      }}
    />
  );
}
