// Lint rules that keep the monorepo's shape: packages talk through their public entry points,
// services never import each other, and there are no import cycles.
import tseslint from "typescript-eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";

const SERVICES = ["gateway", "keys", "ingest", "query"];

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/gen/**", ".tools/**", ".hyrelog/**", "**/dist/**"] },
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.recommended],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js", ".d.ts"] })],
      "import-x/extensions": [".ts", ".js"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@hyrelog/[^/]+/(?!global-setup$).+", message: "import a package through its entry point, not its internals" },
            { regex: "^(\\.\\./)+(packages|services)/", message: "import workspace packages by name (@hyrelog/...), not by path" },
          ],
        },
      ],
    },
  },
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: SERVICES.filter((s) => s !== service).map((s) => ({
            name: `@hyrelog/${s}`,
            message: "services never import each other; call the other service through its contract in proto/",
          })),
          patterns: [
            { regex: "^@hyrelog/[^/]+/.+", message: "import a package through its entry point, not its internals" },
            { regex: "^(\\.\\./)+", message: "stay inside this service; use @hyrelog/* packages for shared code" },
          ],
        },
      ],
    },
  })),
);
