// Lint rules that keep the monorepo's shape: packages talk through their public entry points,
// services never import each other, libraries never import services or apps (the composition
// roots under apps/ are the only place that wires services), and there are no import cycles.
import { readdirSync } from "node:fs";
import tseslint from "typescript-eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import { SERVICES as REGISTRY } from "./packages/config/src/services.ts";

const SERVICES = REGISTRY.map((s) => s.name);
const APPS = readdirSync(new URL("./apps/", import.meta.url));
const upward = (names, message) => names.map((name) => ({ name: `@hyrelog/${name}`, message }));

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/gen/**", "**/generated/**", ".tools/**", ".hyrelog/**", "**/dist/**"] },
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
            { regex: "^(\\.\\./)+(packages|services|apps)/", message: "import workspace packages by name (@hyrelog/...), not by path" },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...upward(SERVICES, "libraries never import a service; the composition roots in apps/ wire services"),
            ...upward(APPS, "libraries never import an app (apps/ are composition roots)"),
          ],
          patterns: [
            { regex: "^@hyrelog/[^/]+/.+", message: "import a package through its entry point, not its internals" },
            { regex: "^(\\.\\./)+(packages|services|apps)/", message: "import workspace packages by name (@hyrelog/...), not by path" },
          ],
        },
      ],
    },
  },
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    rules: {
      // Relative imports stay inside this service's package (a service's folders may import each other).
      "import-x/no-relative-packages": "error",
      "no-restricted-imports": [
        "error",
        {
          paths: [
            ...upward(
              SERVICES.filter((s) => s !== service),
              "services never import each other; call the other service through its contract in proto/",
            ),
            ...upward(APPS, "services never import an app (apps/ are composition roots)"),
          ],
          patterns: [
            { regex: "^@hyrelog/[^/]+/.+", message: "import a package through its entry point, not its internals" },
            { regex: "^(\\.\\./)+(packages|services|apps|tests)/", message: "stay inside this service; use @hyrelog/* packages for shared code" },
          ],
        },
      ],
    },
  })),
);
