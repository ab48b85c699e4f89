/** The baseline has nothing to start: this file keeps the build from picking up the product's. */
export function register() {}
