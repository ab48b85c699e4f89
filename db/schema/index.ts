export * from "./organizations";
export * from "./offers";
export * from "./clicks";
export * from "./conversions";
export * from "./incoming";
export * from "./outgoing";
export * from "./system";
export * from "./program";
