// Two test projects: "workers" runs inside workerd with the Worker's wrangler.toml bindings
// (local R2 and KV); "node" runs the CLI and scripts, which are Node programs.
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // A test-only admin secret (test/admin.test.ts). Tests of the unconfigured API pass an env without it.
            miniflare: { bindings: { ADMIN_TOKEN: "test-admin-token-0123456789abcdef" } },
          }),
        ],
        test: { name: "workers", include: ["test/**/*.test.ts"], exclude: ["test/node/**"], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        test: { name: "node", include: ["test/node/**/*.test.ts"], environment: "node", testTimeout: 120_000 },
      },
    ],
  },
});
