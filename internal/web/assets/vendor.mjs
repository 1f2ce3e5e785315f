// vendor.mjs copies the built files of the pinned npm packages into the
// places the Go code embeds them from. Run it after `npm ci` whenever
// package.json changes, and commit the copied files (not node_modules):
//
//   cd internal/web/assets && npm ci && npm run vendor
//
// axe-core goes to the browser-test harness only: it is never served to
// users.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const nm = join(here, "node_modules");

const files = [
  ["@utrecht/component-library-css/dist/index.css", "../static/vendor/utrecht-component-library.css"],
  ["@utrecht/component-library-css/LICENSE.md", "../static/vendor/utrecht-component-library.LICENSE.md"],
  ["@utrecht/design-tokens/dist/theme.css", "../static/vendor/utrecht-design-tokens.css"],
  ["@utrecht/design-tokens/LICENSE.md", "../static/vendor/utrecht-design-tokens.LICENSE.md"],
  ["htmx.org/dist/htmx.min.js", "../static/vendor/htmx.min.js"],
  ["htmx.org/LICENSE", "../static/vendor/htmx.LICENSE"],
  ["axe-core/axe.min.js", "../webtest/axe.min.js"],
  ["axe-core/LICENSE", "../webtest/axe.LICENSE"],
];

for (const [from, to] of files) {
  const dest = join(here, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(join(nm, from), dest);
  console.log(`${from} -> ${to}`);
}
